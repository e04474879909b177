"""Forms of the funding pages; they only collect input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortaq.reference.models import ActivityArea, Region
from ortaq.reference.selectors import activity_area_list, region_list

from ..enums import BudgetKind, CompetitionStatus, ComplianceReason, ProgrammeKind
from ..models import Application, Criterion, Programme, Topic


class CompetitionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ProgrammeKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All"))]
        + [c for c in CompetitionStatus.choices if c[0] != CompetitionStatus.DRAFT],
    )
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.none()
    )
    area = forms.ModelChoiceField(
        label=_("Activity area"), required=False, queryset=ActivityArea.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]
        self.fields["area"].queryset = activity_area_list()  # type: ignore[attr-defined]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "kind",
            "year",
            "title_kk",
            "title_ru",
            "title_en",
            "budget",
            "activity_areas",
            "amount_unit",
            "amount_min",
            "amount_max",
            "application_days",
            "compliance_days",
            "evaluation_days",
            "institutional_cap_percent",
            "aggregation",
            "divergence_margin",
            "pass_score",
            "blind_review",
            "second_approval",
        ]
        widgets = {"activity_areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_areas"].queryset = activity_area_list()  # type: ignore[attr-defined]


class CompetitionForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("Description (Kazakh)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class LotForm(forms.Form):
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Whole country (national lot)"),
        help_text=_("A national lot is open to NGOs of every region."),
    )
    area = forms.ModelChoiceField(label=_("Activity area"), queryset=ActivityArea.objects.none())
    budget_ceiling = forms.IntegerField(label=_("Budget ceiling, ₸"), min_value=1)
    topic = forms.ModelChoiceField(
        label=_("Approved topic"), queryset=Topic.objects.none(), required=False
    )

    def __init__(self, *args: Any, topics: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]
        self.fields["area"].queryset = activity_area_list()  # type: ignore[attr-defined]
        if topics is not None:
            self.fields["topic"].queryset = topics  # type: ignore[attr-defined]


class ApplicationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Application
        fields = ["title", "description", "target_group", "reach", "region", "team"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "team": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]
        self.fields["description"].required = True


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=BudgetKind.choices, initial="project")
    amount = forms.IntegerField(label=_("Amount, ₸"), min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("item")) != bool(data.get("amount")):
            raise forms.ValidationError(_("Give both the item and the amount, or neither."))
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=14)
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and (not data.get("unit") or data.get("target") is None):
            raise forms.ValidationError(_("Give the unit and the target of the indicator."))
        return data


BudgetFormSet = forms.formset_factory(BudgetLineForm, extra=3)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF or image"))


class CompetitionDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("PDF, DOC, DOCX, ODT, XLS or XLSX file"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ComplianceForm(forms.Form):
    """One checkbox and explanation per possible reason of failure; none ticked = compliant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ComplianceReason.choices:
            self.fields[f"fail_{value}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"why_{value}"] = forms.CharField(
                label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value, _label in ComplianceReason.choices:
            if data.get(f"fail_{value}") and not (data.get(f"why_{value}") or "").strip():
                self.add_error(f"why_{value}", _("Explain this failure."))
        return data

    def failures(self) -> list[tuple[str, str]]:
        return [
            (value, self.cleaned_data[f"why_{value}"])
            for value, _label in ComplianceReason.choices
            if self.cleaned_data.get(f"fail_{value}")
        ]

    def rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"fail_{value}"], self[f"why_{value}"]) for value, _l in ComplianceReason.choices
        ]


class DeclarationForm(forms.Form):
    no_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("1", _("I declare that I have no conflict of interest with this application.")),
            ("0", _("I have a conflict of interest and recuse myself.")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("If you have a conflict, describe it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


NA = "na"


class ScoreForm(forms.Form):
    """A score per criterion (0..scale or n/a) with a comment, and an overall comment."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            choices = [(str(i), str(i)) for i in range(c.scale_max + 1)] + [
                (NA, _("not applicable"))
            ]
            self.fields[f"score_{c.pk}"] = forms.ChoiceField(label=c.name, choices=choices)
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def values(self) -> dict[int, int | None]:
        return {
            c.pk: None
            if self.cleaned_data[f"score_{c.pk}"] == NA
            else int(self.cleaned_data[f"score_{c.pk}"])
            for c in self.criteria
        }

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class TopicForm(forms.ModelForm):
    indicators_text = forms.CharField(
        label=_("Expected indicators"),
        help_text=_("One per line: name; unit; target."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Topic
        fields = [
            "year",
            "title_kk",
            "title_ru",
            "title_en",
            "area",
            "region",
            "problem",
            "expected_results",
            "budget_estimate",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = activity_area_list()  # type: ignore[attr-defined]
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]

    def indicators(self) -> list[dict[str, str]]:
        result = []
        for line in (self.cleaned_data.get("indicators_text") or "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if parts and parts[0]:
                parts += [""] * (3 - len(parts))
                result.append({"name": parts[0], "unit": parts[1], "target": parts[2]})
        return result


class TopicCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    supports = forms.BooleanField(label=_("I support this topic"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationForm(forms.Form):
    until = forms.DateField(
        label=_("Consultation until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ExpertForm(forms.Form):
    """Add a person to the expert register (or change the areas of one already in it)."""

    email = forms.EmailField(
        label=_("E-mail of the person"),
        help_text=_("The person must already have an account on the platform."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Activity areas"),
        queryset=ActivityArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = activity_area_list()  # type: ignore[attr-defined]


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    area = forms.ModelChoiceField(
        label=_("Activity area"), required=False, queryset=ActivityArea.objects.none()
    )
    active = forms.ChoiceField(
        label=_("In the register"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = activity_area_list()  # type: ignore[attr-defined]
