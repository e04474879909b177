"""Reference tables, loaded by `ortaq load_reference` and editable in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ortaq.core.i18n import NamedModel

from .enums import LegalFormGroup, RegionKind


class Region(NamedModel):
    """An oblast or a city of republican significance, identified by its KATO code."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    centre_ru = models.CharField(_("administrative centre"), max_length=100, blank=True)
    is_active = models.BooleanField(
        _("current"), default=True, help_text=_("Historical regions stay for old records.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RegionKind.values), name="region_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kato__regex=r"^[0-9]{9}$"), name="region_kato_9_digits"
            ),
        ]


class LegalForm(NamedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_ru = models.CharField(_("abbreviation (Russian)"), max_length=20, blank=True)
    group = models.CharField(
        _("statistics group"),
        max_length=20,
        choices=LegalFormGroup.choices,
        default=LegalFormGroup.NGO,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group__in=LegalFormGroup.values), name="legalform_group_valid"
            ),
        ]


class ActivityArea(NamedModel):
    """An area of the state social order, grants and awards (configurable list)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("activity area")
        verbose_name_plural = _("activity areas")


class MciRate(models.Model):
    """The monthly calculation index (МРП / АЕК) set by each year's budget law, in tenge."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    value = models.PositiveIntegerField(_("value, ₸"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("monthly calculation index")
        verbose_name_plural = _("monthly calculation index table")
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="mci_positive"),
            models.CheckConstraint(condition=models.Q(year__gte=1992), name="mci_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value} ₸"
