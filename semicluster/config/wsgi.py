import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "semicluster.config.settings.production")
application = get_wsgi_application()

# Import every view, API router and form now rather than on each worker's first request (1.4 s on the
# project's machines, which the first users after a restart would wait for). With gunicorn's
# --preload the master pays it once and the forked workers share the loaded code.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect of importing the URLconf
connections.close_all()  # no connection may be shared by the workers forked after this
