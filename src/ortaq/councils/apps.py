from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ortaq.core.panels import register_ngo_panel


class CouncilsConfig(AppConfig):
    name = "ortaq.councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        # Selectors read models, which exist only once the app registry is ready.
        from .selectors import councils_of_ngo

        register_ngo_panel(
            "councils", selector=councils_of_ngo, template="councils/ngo_panel.html", order=20
        )
