"""The back office of funding. Django's admin autodiscovery imports `funding.admin` only, so
this module imports each stage's admin module, which registers its models."""

from __future__ import annotations

from .competitions import admin as competitions_admin  # noqa: F401
from .contracts import admin as contracts_admin  # noqa: F401
from .monitoring import admin as monitoring_admin  # noqa: F401
from .reports import admin as reports_admin  # noqa: F401
from .risk import admin as risk_admin  # noqa: F401
