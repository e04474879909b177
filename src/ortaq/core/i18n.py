"""Content in the three languages: fields name_kk / name_ru / name_en and how to pick one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Kazakh and Russian are both official: a missing text in one falls back to the other,
# and English falls back to Russian, which international partners read more often.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "kk": ("kk", "ru", "en"),
    "ru": ("ru", "kk", "en"),
    "en": ("en", "ru", "kk"),
}


def pick(obj: object, field: str, language: str | None = None) -> str:
    """The value of `<field>_<lang>` in the active language, falling back when it is empty."""
    lang = (language or get_language() or "kk")[:2]
    for code in FALLBACKS.get(lang, FALLBACKS["kk"]):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class NamedModel(models.Model):
    """A thing with a name in Kazakh, Russian and English; `name` gives the active one."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


def operator_language() -> str:
    """The language of a console command: the operator's locale (LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG, as gettext reads them) when Ortaq speaks it, else LANGUAGE_CODE."""
    import os

    from django.conf import settings

    known = {code for code, _name in settings.LANGUAGES}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in os.environ.get(variable, "").split(":"):
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in known:
                return code
    return str(settings.LANGUAGE_CODE)
