"""Production: the same settings as everywhere, with secure defaults and no fallbacks.

Nothing here exists only in production: each value is read from the environment in base.py;
this file only makes the secure choice the default and refuses to start without a real secret.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

for _name, _default in {
    "ORTAQ_REQUIRE_2FA": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
}.items():
    os.environ.setdefault(_name, _default)

from .base import *  # noqa: E402,F403
from .base import DEBUG, SECRET_KEY  # noqa: E402

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production settings.")
