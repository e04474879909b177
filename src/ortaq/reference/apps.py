from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ortaq.core.panels import register_home_figures


class ReferenceConfig(AppConfig):
    name = "ortaq.reference"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        # Selectors read models, which exist only once the app registry is ready.
        from .selectors import home_figures

        register_home_figures("reference", provider=home_figures)
