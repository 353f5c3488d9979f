"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from semicluster.config.env import env_bool, env_int, env_json_object, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("SEMICLUSTER_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Domain apps are discovered: every package under semicluster/ with an apps.py is one. Each app has
# the same anatomy (models, services, selectors, forms, views, api, admin, templates, tests) and may
# contribute navigation (nav.py), URLs (urls.py), an API router (api.py), demo data (demo.py),
# enterprise-page panels (panels.py) and plan-file sections (plan_schema.json); the core finds them
# through semicluster.core.registry, so adding an app edits no shared file.
_FOUNDATION_APPS = ["semicluster.accounts", "semicluster.plans", "semicluster.enterprises"]
DOMAIN_APPS = _FOUNDATION_APPS + sorted(
    f"semicluster.{path.parent.name}"
    for path in PACKAGE_DIR.glob("*/apps.py")
    if f"semicluster.{path.parent.name}" not in _FOUNDATION_APPS and path.parent.name != "core"
)

INSTALLED_APPS = [
    "semicluster.core.admin_site.SemiclusterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "semicluster.core",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "semicluster.core.middleware.RejectNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "semicluster.core.middleware.ContentSecurityPolicyMiddleware",
    "semicluster.core.middleware.DeniedRequestLogMiddleware",
    # Last, as django-axes requires: it locks out repeated failed log-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "semicluster.config.urls"
WSGI_APPLICATION = "semicluster.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "semicluster.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'semicluster.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name + address out after repeated failures; failures are logged (SecurityEvent).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "semicluster"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the npm registry at install time (package.json); nothing vendored.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/echarts", _NODE / "echarts" / "dist"),
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The platform marks every page when it runs on synthetic demo data.
SEMICLUSTER_DEMO_MODE = env_bool("SEMICLUSTER_DEMO_MODE", True)
# Plan files shipped with the platform.
SEMICLUSTER_PLAN_DIR = BASE_DIR / "plans"
SEMICLUSTER_DEFAULT_PLAN = SEMICLUSTER_PLAN_DIR / "kunshan-semiconductor-2025.yaml"
# Statistical disclosure control of public figures. The parameters are confidential (knowing them helps
# an attacker): set SEMICLUSTER_DISCLOSURE_FILE to a root-only JSON file, e.g.
# {"min_frequency": 3, "dominance": [[1, 85], [2, 90]], "p_percent": 15}; unset means the engine's
# defaults. Checked at start-up by the reports app (`check`), so a bad file stops the deployment.
SEMICLUSTER_DISCLOSURE = env_json_object("SEMICLUSTER_DISCLOSURE")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
