"""Kinds of organisations, their levels and the roles people hold in them (docs/domain.md §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    STATE_BODY = "state_body", _("State body")
    NGO = "ngo", _("Non-governmental organisation")
    GRANT_OPERATOR = "grant_operator", _("Grant operator or fund")
    BUSINESS = "business", _("Business")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", pgettext_lazy("organisation kind", "Other")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGION = "region", pgettext_lazy("level", "Region")
    CITY = "city", pgettext_lazy("level", "City")
    DISTRICT = "district", pgettext_lazy("level", "District")


class Role(models.TextChoices):
    MEMBER = "member", pgettext_lazy("role", "Member")
    ADMIN = "admin", pgettext_lazy("role", "Administrator")
    OFFICIAL = "official", _("State official")
    REGIONAL_ADMIN = "regional_admin", _("Regional administrator")
    EXPERT = "expert", _("Expert (commission member)")
    CONSULTANT = "consultant", _("Consultant")


# Roles that act for the state and so must use two-factor login when ORTAQ_REQUIRE_2FA is on.
PRIVILEGED_ROLES = frozenset({Role.OFFICIAL, Role.REGIONAL_ADMIN, Role.EXPERT})
# Administrators of these kinds organise funding and read individual scores (funding/rules.py),
# so they too must use two-factor login.
CONFIDENTIAL_ADMIN_KINDS = frozenset({OrganisationKind.STATE_BODY, OrganisationKind.GRANT_OPERATOR})
# Roles a person may hold only in a state body.
STATE_ROLES = frozenset({Role.OFFICIAL, Role.REGIONAL_ADMIN})
