"""The reviewer's form of a risk signal; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import RiskStatus


class RiskReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Verdict"), choices=RiskStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to dismiss a signal: say why it is no risk."),
    )
    # The review time the reviewer saw: a review saved since is not overwritten.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
