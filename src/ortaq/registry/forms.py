"""Forms of the registry pages. They validate input; services.py does the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortaq.lib.identifiers import is_valid_bin, normalise_bin
from ortaq.reference.models import ActivityArea, LegalForm, Region

from .enums import NgoStatus, TargetGroup
from .models import NgoProfile
from .selectors import umbrella_candidates
from .services import STATUS_TRANSITIONS

CHECKBOXES = (forms.CheckboxSelectMultiple, forms.CheckboxInput)


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, CHECKBOXES):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


def _bin_field() -> forms.CharField:
    return forms.CharField(
        label=_("BIN"),
        max_length=12,
        min_length=12,
        help_text=_("12 digits, as in the certificate of registration."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _clean_bin(value: str) -> str:
    value = normalise_bin(value or "")
    if not is_valid_bin(value):
        raise forms.ValidationError(_("This is not a valid BIN: check the 12 digits."))
    return value


PROFILE_FORM_FIELDS = [
    "legal_form",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "district",
    "district_kato",
    "settlement",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "leader_position",
    "founders",
    "registration_year",
    "activity_areas",
    "is_childrens",
    "is_youth",
    "is_disability",
    "is_ethnocultural",
    "is_volunteer",
    "umbrella_associations",
    "description_kk",
    "description_ru",
    "description_en",
]


class NgoProfileForm(forms.ModelForm):
    """Edit a profile. The form never saves: the view hands cleaned_data to ngo_update."""

    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["name_kk", "name_ru", "name_en"]

    class Meta:
        model = NgoProfile
        fields = [*PROFILE_FORM_FIELDS, "target_groups"]
        widgets = {
            "activity_areas": forms.CheckboxSelectMultiple,
            "umbrella_associations": forms.CheckboxSelectMultiple,
            "founders": forms.Textarea(attrs={"rows": 3}),
            "description_kk": forms.Textarea(attrs={"rows": 4}),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = self.fields["activity_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = ActivityArea.objects.filter(is_active=True).order_by("position")
        umbrellas = self.fields["umbrella_associations"]
        assert isinstance(umbrellas, forms.ModelMultipleChoiceField)
        umbrellas.queryset = umbrella_candidates().exclude(pk=self.instance.organisation_id)
        if not self.is_bound and self.instance.pk:
            organisation = self.instance.organisation
            for name in ("name_kk", "name_ru", "name_en"):
                self.initial[name] = getattr(organisation, name)
            self.initial["version"] = self.instance.version
        _style(self)

    def _post_clean(self) -> None:
        """Validation only: the instance is not touched, so a refused save changes nothing."""

    def clean_district_kato(self) -> str:
        value = (self.cleaned_data.get("district_kato") or "").strip()
        if value and not (len(value) == 9 and value.isdigit()):
            raise forms.ValidationError(_("A KATO code has 9 digits."))
        return value

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["name_kk", "name_ru", "name_en", "target_groups", *PROFILE_FORM_FIELDS]
        return {name: data[name] for name in names if name in data}


class ClaimForm(forms.Form):
    bin = _bin_field()
    position = forms.CharField(
        label=_("Your position in the NGO"),
        max_length=200,
        help_text=_("For example: chair of the board, director."),
    )
    message = forms.CharField(
        label=_("Message to the regional administrator"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How can the administrator check that you represent the NGO?"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_bin(self) -> str:
        return _clean_bin(self.cleaned_data["bin"])


class RegisterNgoForm(forms.Form):
    bin = _bin_field()
    name_kk = forms.CharField(label=_("Name (Kazakh)"), max_length=300)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    legal_form = forms.ModelChoiceField(label=_("Legal form"), queryset=LegalForm.objects.none())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    district = forms.CharField(label=_("District or city"), max_length=200, required=False)
    settlement = NgoProfile._meta.get_field("settlement").formfield()
    registration_year = forms.IntegerField(label=_("Year of registration"), min_value=1900)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    leader_name = forms.CharField(label=_("Leader"), max_length=200, required=False)
    activity_areas = forms.ModelMultipleChoiceField(
        label=_("Activity areas"),
        queryset=ActivityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description_kk = forms.CharField(
        label=_("Description (Kazakh)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = ClaimForm.base_fields["position"]
    message = ClaimForm.base_fields["message"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        legal_form = self.fields["legal_form"]
        assert isinstance(legal_form, forms.ModelChoiceField)
        legal_form.queryset = LegalForm.objects.order_by("position", "code")
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.filter(is_active=True).order_by("code")
        areas = self.fields["activity_areas"]
        assert isinstance(areas, forms.ModelMultipleChoiceField)
        areas.queryset = ActivityArea.objects.filter(is_active=True).order_by("position")
        _style(self)

    def clean_bin(self) -> str:
        return _clean_bin(self.cleaned_data["bin"])

    def clean_registration_year(self) -> int:
        year = int(self.cleaned_data["registration_year"])
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Enter a real year of registration."))
        return year

    def registration(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("position", None)
        data.pop("message", None)
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    changed_on = forms.DateField(
        label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason or document"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the court decision or the order, with its number and date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, ngo: NgoProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            (value, label)
            for value, label in NgoStatus.choices
            if value in STATUS_TRANSITIONS[ngo.status]
        ]
        self.initial.setdefault("changed_on", timezone.localdate())
        self.initial.setdefault("version", ngo.version)
        _style(self)


class DecisionForm(forms.Form):
    VERIFY = "verify"
    REFUSE = "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VERIFY, _("Verify")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason of refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse: the person reads it on the page of his claims."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the claim is refused: the person will read it."))
        return data
