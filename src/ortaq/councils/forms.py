"""Forms of the council pages. They validate input; services.py does the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation, User
from ortaq.lib.identifiers import is_valid_bin, normalise_bin

from .checks import rules_problems
from .enums import AgendaKind, AnswerKind, CouncilKind, MemberCategory, Position, VoteChoice
from .models import AgendaItem, Council, CouncilMember
from .services import RULE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CouncilForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Attached to")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Council
        fields = ["kind", "name_kk", "name_ru", "name_en", "description", *RULE_FIELDS]

    def __init__(self, *args: Any, hosts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hosts is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = hosts  # type: ignore[attr-defined]
        self.fields["kind"].choices = CouncilKind.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        """The rules' contradictions next to their fields, in words (a field in error is left
        out of the model's constraint checks, which would only name the constraint)."""
        data = super().clean() or {}
        for field, message in rules_problems(
            {name: data[name] for name in RULE_FIELDS if name in data}
        ):
            self.add_error(field, message)
        return data

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("organisation", "version")}
        return data


class CompositionForm(forms.Form):
    term_start = forms.DateField(label=_("Term starts"), widget=DATE)
    term_end = forms.DateField(
        label=_("Term ends"),
        widget=DATE,
        required=False,
        help_text=_("Empty: the council's term in years."),
    )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=MemberCategory.choices)
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    organisation_bin = forms.CharField(
        label=_("BIN of the organisation represented"),
        required=False,
        max_length=12,
        help_text=_("Empty for a member who represents no organisation."),
    )
    account_email = forms.EmailField(
        label=_("E-mail of the member's Ortaq account"),
        required=False,
        help_text=_("Links the seat to the account: the chair and secretary act through it."),
    )
    email = forms.EmailField(label=_("E-mail for invitations"), required=False)
    appointed_on = forms.DateField(label=_("Appointed"), widget=DATE, required=False)

    def clean_organisation_bin(self) -> Organisation | None:
        return _organisation_by_bin(self.cleaned_data.get("organisation_bin") or "")

    def clean_account_email(self) -> User | None:
        value = self.cleaned_data.get("account_email")
        if not value:
            return None
        user = User.objects.filter(email__iexact=value).first()
        if user is None:
            raise forms.ValidationError(_("No account with this e-mail."))
        return user


class CeaseForm(forms.Form):
    ceased_on = forms.DateField(label=_("Ceased"), widget=DATE, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=720, initial=120
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["topic_kk", "topic_ru", "speaker", "kind", "documents", "vote_mode"]
        widgets = {"documents": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AgendaKind.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("topic_kk") and not data.get("topic_ru"):
            raise forms.ValidationError(_("Give the topic in Kazakh or in Russian."))
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.full_name} — {m.get_position_display()}") for m in members
        ]


class VotesByNameForm(forms.Form):
    """One choice per present member; an empty choice means the member did not vote."""

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"m{member.pk}"] = forms.ChoiceField(
                label=member.full_name,
                choices=[("", _("Did not vote")), *VoteChoice.choices],
                required=False,
            )

    def votes(self) -> dict[int, str]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if v}


class VotesByCountForm(forms.Form):
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    votes_abstained = forms.IntegerField(label=_("Abstained"), min_value=0)


class DecisionForm(forms.Form):
    decision_kk = forms.CharField(
        label=_("Decision (Kazakh)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decision_ru = forms.CharField(
        label=_("Decision (Russian)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class RecommendationForm(forms.Form):
    addressee = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("To"))
    text_kk = forms.CharField(
        label=_("Recommendation (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text_ru = forms.CharField(
        label=_("Recommendation (Russian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    sent_on = forms.DateField(label=_("Sent"), widget=DATE, required=False)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = bodies  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=AnswerKind.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(forms.Form):
    progress = forms.IntegerField(label=_("Implementation, %"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    correction_note = forms.CharField(
        label=_("What the correction changes"), widget=forms.Textarea(attrs={"rows": 2})
    )


class NominationForm(forms.Form):
    full_name = forms.CharField(label=_("Candidate"), max_length=200)
    motivation = forms.CharField(
        label=_("Why this candidate"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def _organisation_by_bin(value: str) -> Organisation | None:
    value = normalise_bin(value or "")
    if not value:
        return None
    if not is_valid_bin(value):
        raise forms.ValidationError(_("This is not a valid BIN: check the 12 digits."))
    organisation = Organisation.objects.filter(bin=value).first()
    if organisation is None:
        raise forms.ValidationError(_("No organisation with this BIN is registered."))
    return organisation


class ElectionForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the general meeting"), widget=DATE)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=200)
    max_choices = forms.IntegerField(
        label=_("Choices per ballot"),
        min_value=1,
        max_value=200,
        help_text=_("Each member organisation names up to this many candidates."),
    )
    term_start = forms.DateField(label=_("The elected composition starts"), widget=DATE)
    elector_bins = forms.CharField(
        label=_("Member organisations that vote (BIN, one per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One ballot per organisation. Every BIN must be registered in Ortaq."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_elector_bins(self) -> list[Organisation]:
        raw = self.cleaned_data.get("elector_bins") or ""
        values = [v.strip() for v in raw.replace(",", "\n").splitlines() if v.strip()]
        bins = [normalise_bin(v) for v in values]
        wrong = [v for v, b in zip(values, bins, strict=True) if not is_valid_bin(b)]
        if wrong:
            raise forms.ValidationError(
                _("Not a valid BIN: {values}.").format(values=", ".join(wrong))
            )
        found = {o.bin: o for o in Organisation.objects.filter(bin__in=bins)}
        missing = [b for b in dict.fromkeys(bins) if b not in found]
        if missing:
            raise forms.ValidationError(
                _("No organisation is registered with the BIN {values}.").format(
                    values=", ".join(missing)
                )
            )
        if not found:
            raise forms.ValidationError(_("Name at least one member organisation."))
        return [found[b] for b in dict.fromkeys(bins)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seats, choices = data.get("seats"), data.get("max_choices")
        if seats and choices and choices > seats:
            self.add_error(
                "max_choices",
                _("A ballot cannot have more choices than there are seats ({n}).").format(n=seats),
            )
        held, start = data.get("held_on"), data.get("term_start")
        if held and start and start < held:
            self.add_error(
                "term_start", _("The elected composition cannot start before the general meeting.")
            )
        return data


class CandidateForm(forms.Form):
    full_name = forms.CharField(label=_("Candidate's full name"), max_length=200)
    organisation_bin = forms.CharField(
        label=_("BIN of the organisation represented"),
        required=False,
        max_length=12,
        help_text=_("Empty for a candidate who represents no organisation."),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=MemberCategory.choices, initial=MemberCategory.CIVIL
    )

    def clean_organisation_bin(self) -> Organisation | None:
        return _organisation_by_bin(self.cleaned_data.get("organisation_bin") or "")


class AgendaDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document (PDF, DOC, DOCX or ODT)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,.odt,application/pdf,application/msword,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.oasis.opendocument.text"
            }
        ),
    )


class BallotForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Member organisation")
    )
    choices = forms.MultipleChoiceField(
        label=_("Candidates"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, electors: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = electors  # type: ignore[attr-defined]
        self.fields["choices"].choices = [(c.pk, c.full_name) for c in candidates]  # type: ignore[attr-defined]
