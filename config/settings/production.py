"""Production: no defaults for secrets; a missing or unsafe value stops the process at start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, server_database

DEBUG = False
# The demo personas and data (load_demo, demo_logins) are for `make run` and the tests, never a live site.
INSTALLED_APPS = [a for a in INSTALLED_APPS if a != "sme.demo"]  # noqa: F405
SECRET_KEY = env.str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters in production.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production.")
DATABASES = {"default": server_database(env.db("DATABASE_URL"))}
CACHES = {"default": env.cache("CACHE_URL")}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
