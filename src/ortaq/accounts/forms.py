from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ortaq.reference.models import Region

from .models import Organisation, User
from .services import IDENTITY_FIELDS, may_change_identity, user_complete_signup


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)

    def signup(self, request: HttpRequest, user: User) -> None:
        user_complete_signup(
            user=user,
            full_name=self.cleaned_data["full_name"],
            language=(getattr(request, "LANGUAGE_CODE", "kk") or "kk")[:2],
        )


class OrganisationSwitchForm(forms.Form):
    organisation = forms.IntegerField()
    next = forms.CharField(required=False)


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        fields = ["name_kk", "name_ru", "name_en", "bin", "level", "region"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.filter(is_active=True)
        if self.instance.pk and not may_change_identity(user, self.instance):
            # Shown, not editable: a disabled field keeps its saved value whatever is posted.
            for name in IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Verified by the regional administrator: ask him to correct it."
                )
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
