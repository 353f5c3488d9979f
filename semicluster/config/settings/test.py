"""Test settings: fast hashing, an isolated media directory, SQLite unless DATABASE_URL is set."""

import tempfile
from pathlib import Path

from semicluster.config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Lockout is exercised by its own test (which switches it on); elsewhere client.login must just work.
AXES_ENABLED = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="semicluster-media-"))
# whitenoise warns about a missing STATIC_ROOT on every request; tests never collect static files.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="semicluster-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
