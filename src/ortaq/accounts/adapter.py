"""allauth's account adapter: password lockout is django-axes' alone.

allauth's `login_failed` rate limit is kept on because its MFA stage counts wrong codes with it
(per person, see settings ACCOUNT_RATE_LIMITS). Its password check would count failures per
e-mail address from anywhere, so anybody could lock a person out from another address; django-axes
already locks a username *from one address*, so the password step skips allauth's count.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """No allauth count on passwords: django-axes owns password lockout."""
