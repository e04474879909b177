from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from ortaq.core.panels import register_home_figures


class AccountsConfig(AppConfig):
    name = "ortaq.accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # Selectors read models, which exist only once the app registry is ready.
        from .selectors import home_figures

        register_home_figures("accounts", provider=home_figures)
        # The break-glass module writes audit entries, whose models need the registry ready.
        from .breakglass import record_login

        user_logged_in.connect(record_login, dispatch_uid="ortaq.accounts.breakglass")
