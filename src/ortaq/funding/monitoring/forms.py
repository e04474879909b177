"""Forms of monitoring visits and evaluations; they only collect input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ortaq.councils.models import Council
from ortaq.reference.models import Region
from ortaq.reference.selectors import region_list

from ..enums import EvaluationCriterion, FindingSeverity, MonitorKind, VisitStatus
from .selectors import CHECKLIST_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.none()
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *VisitStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]


class VisitCreateForm(forms.Form):
    monitor_kind = forms.ChoiceField(label=_("I visit as"), choices=[])
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    council = forms.ModelChoiceField(
        label=_("Public council"), required=False, queryset=Council.objects.none(), empty_label="—"
    )

    def __init__(self, *args: Any, kinds: list[str], councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(MonitorKind.choices)
        self.fields["monitor_kind"].choices = [(k, labels[k]) for k in kinds]  # type: ignore[attr-defined]
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        if not councils.exists():
            del self.fields["council"]


# The answer of a checklist row: yes, no, or not checked (empty).
CHECK_CHOICES = [
    ("yes", pgettext_lazy("checklist", "Yes")),
    ("no", pgettext_lazy("checklist", "No")),
    ("", _("Not checked")),
]
_TO_OK = {"yes": True, "no": False, "": None}
_FROM_OK = {True: "yes", False: "no", None: ""}


class ChecklistRowForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=300, required=False)
    ok = forms.ChoiceField(
        label=_("Result"), choices=CHECK_CHOICES, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    @property
    def label(self) -> str | None:
        """The translated name of a default item (its code is a hidden field), else None."""
        value = self["item"].value()
        return str(CHECKLIST_LABELS[value]) if value in CHECKLIST_LABELS else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("item") and (data.get("ok") or data.get("note")):
            raise forms.ValidationError(_("Name the item you checked."))
        return data

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("item"):
            return None
        return {"item": data["item"], "ok": _TO_OK[data.get("ok") or ""], "note": data["note"]}


ChecklistFormSet = forms.formset_factory(ChecklistRowForm, extra=2)


def checklist_initial(checklist: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"item": r.get("item", ""), "ok": _FROM_OK.get(r.get("ok")), "note": r.get("note", "")}
        for r in checklist
    ]


class FindingForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"), choices=FindingSeverity.choices, initial=FindingSeverity.NOTE
    )
    text = forms.CharField(
        label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


FindingFormSet = forms.formset_factory(FindingForm, extra=2)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public once the visit is published."),
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=_("Add a photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP. The location and camera data are removed."),
    )
    caption = forms.CharField(label=_("Caption of the photo"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FindingAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer of the NGO"), widget=forms.Textarea(attrs={"rows": 2}))
    # The answer as it was when the form was opened (optimistic locking).
    previous = forms.CharField(widget=forms.HiddenInput, required=False)


NOT_SCORED = ""


class EvaluationForm(forms.Form):
    """A score (0..scale, or not yet) and a comment per criterion, and the conclusion."""

    conclusion = forms.CharField(
        label=_("Conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Public once the evaluation is published."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, scale_max: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_SCORED, _("not scored yet"))] + [
            (str(i), str(i)) for i in range(scale_max + 1)
        ]
        for value, label in EvaluationCriterion.choices:
            self.fields[f"score_{value}"] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.fields[f"comment_{value}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def scores(self) -> dict[str, tuple[int | None, str]]:
        result = {}
        for value, _label in EvaluationCriterion.choices:
            score = self.cleaned_data.get(f"score_{value}") or NOT_SCORED
            result[value] = (
                None if score == NOT_SCORED else int(score),
                self.cleaned_data.get(f"comment_{value}", ""),
            )
        return result

    def rows(self) -> list[tuple[str, Any, Any]]:
        return [
            (str(label), self[f"score_{value}"], self[f"comment_{value}"])
            for value, label in EvaluationCriterion.choices
        ]
