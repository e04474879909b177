from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ortaq.core.panels import register_ngo_panel


class FundingConfig(AppConfig):
    name = "ortaq.funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        # Selectors read models, which exist only once the app registry is ready.
        from .competitions.selectors import funding_received_by_ngo

        register_ngo_panel(
            "funding",
            selector=funding_received_by_ngo,
            template="funding/ngo_panel.html",
            order=10,
        )
