"""Settings for the test suite: fast hashing, in-memory mail; DATABASE_URL still chooses the database.

The bench-only app (``bench.benchdata``) is installed so that the data generators' tests run with the
suite; base and production do not install it."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchdata"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
ALLOWED_HOSTS = ["*"]
LANGUAGE_CODE = "zh-hans"
if env.str("DATABASE_URL", default="").startswith("sqlite") or not env.str("DATABASE_URL", default=""):
    from .base import DATABASES

    DATABASES["default"]["TEST"] = {"NAME": None}  # in-memory
APPEND_ONLY_FLUSH_ALLOWED = True  # the test database flush may empty the audit log (sme.core.append_only)
