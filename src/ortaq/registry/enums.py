"""Statuses and kinds of the NGO registry (docs/domain.md §3–4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NgoStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("ngo status", "Active")
    INACTIVE = "inactive", pgettext_lazy("ngo status", "Inactive")
    SUSPENDED = "suspended", pgettext_lazy("ngo status", "Suspended")
    IN_LIQUIDATION = "in_liquidation", pgettext_lazy("ngo status", "In liquidation")
    LIQUIDATED = "liquidated", pgettext_lazy("ngo status", "Liquidated")


class Settlement(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class TargetGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Young people")
    FAMILIES = "families", _("Families")
    WOMEN = "women", _("Women")
    ELDERLY = "elderly", _("Older people")
    DISABILITY = "disability", _("Persons with disabilities")
    VULNERABLE = "vulnerable", _("Socially vulnerable people")
    ORPHANS = "orphans", _("Orphans and children without parental care")
    RURAL = "rural", _("Rural population")
    ETHNIC = "ethnic", _("Ethnic communities")
    VETERANS = "veterans", _("Veterans")
    MIGRANTS = "migrants", _("Migrants and kandases")
    NGOS = "ngos", _("Other NGOs and activists")
    PUBLIC = "public", _("The general public")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Not verified")
    VERIFIED = "verified", _("Verified")


class ClaimKind(models.TextChoices):
    EXISTING = "existing", _("Claim of a registered NGO")
    NEW = "new", _("Registration of a new NGO")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", pgettext_lazy("claim status", "Verified")
    REFUSED = "refused", pgettext_lazy("claim status", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("claim status", "Withdrawn")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Accepted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned for corrections")


# Which status may follow which. A liquidated NGO is gone; a liquidation may be called off.
NGO_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    NgoStatus.ACTIVE: frozenset(
        {NgoStatus.INACTIVE, NgoStatus.SUSPENDED, NgoStatus.IN_LIQUIDATION}
    ),
    NgoStatus.INACTIVE: frozenset(
        {NgoStatus.ACTIVE, NgoStatus.SUSPENDED, NgoStatus.IN_LIQUIDATION}
    ),
    NgoStatus.SUSPENDED: frozenset(
        {NgoStatus.ACTIVE, NgoStatus.INACTIVE, NgoStatus.IN_LIQUIDATION}
    ),
    NgoStatus.IN_LIQUIDATION: frozenset({NgoStatus.ACTIVE, NgoStatus.LIQUIDATED}),
    NgoStatus.LIQUIDATED: frozenset(),
}

REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.ACCEPTED, ReportStatus.RETURNED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.ACCEPTED: frozenset(),
}

CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.PENDING: frozenset(
        {ClaimStatus.VERIFIED, ClaimStatus.REFUSED, ClaimStatus.WITHDRAWN}
    ),
    ClaimStatus.VERIFIED: frozenset(),
    ClaimStatus.REFUSED: frozenset(),
    ClaimStatus.WITHDRAWN: frozenset(),
}
