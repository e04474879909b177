from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that Django finds its `seed_demo` command: no models, no pages (so no
    verbose name a user could see)."""

    name = "ortaq.demo"
