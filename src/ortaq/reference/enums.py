from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    OBLAST = "oblast", _("Region (oblast)")
    CITY = "city", _("City of republican significance")


class LegalFormGroup(models.TextChoices):
    """Party branches and trade unions are counted apart in statistics (seed 001)."""

    NGO = "ngo", _("Non-governmental organisation")
    PARTY_BRANCH = "party_branch", _("Political party branch")
    TRADE_UNION = "trade_union", _("Trade union")
