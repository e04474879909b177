"""Development: the embedded default (SQLite, in-process jobs, e-mail to the console)."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")

from .base import *  # noqa: F403
