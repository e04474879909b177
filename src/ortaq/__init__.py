"""Ortaq: the open platform for the partnership of state bodies, NGOs and citizens."""

from __future__ import annotations

from .celery import app as celery_app

__all__ = ["celery_app"]
