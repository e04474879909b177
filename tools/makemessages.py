"""Run `makemessages` inside one app folder (its own catalogue in <app>/locale).

Celery's Django fix-up puts the current folder first on sys.path; inside an app folder that
makes `import rules` find the app's rules.py instead of django-rules. This wrapper removes the
folder again before Django starts.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ortaq.settings.dev")
import ortaq  # noqa: F401  (creates the Celery app, which edits sys.path)

here = os.getcwd()
sys.path[:] = [p for p in sys.path if p not in ("", here)]

from django.core.management import execute_from_command_line  # noqa: E402

execute_from_command_line(
    ["ortaq", "makemessages", "-l", "kk", "-l", "ru", "--no-location", "--no-obsolete", "-v", "0"]
)
