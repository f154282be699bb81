"""The forms of the contributions pages: they render and parse the input; the services'
schemas and rules decide whether it is acceptable."""

import json
from typing import Any

from django import forms
from django.forms.fields import InvalidJSONInput

from accord.contributions.models import LEVELS, Kind
from accord.contributions.queries import partnerships
from accord.people.models import Group


def _group_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *Group.objects.order_by("name").values_list("slug", "name")]


def _partnership_choices() -> list[tuple[object, str]]:
    return [("", "---------"), *((a.pk, str(a)) for a in partnerships())]


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices)
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    evidence_url = forms.URLField(
        required=False,
        label="Evidence link",
        help_text="A page, file or post that shows the work.",
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        min_value=0,
        max_value=1000,
        decimal_places=2,
        initial=0,
        help_text="How long it took, e.g. 3.5",
    )
    level = forms.TypedChoiceField(
        choices=sorted(LEVELS.items()), coerce=int, help_text="How demanding the work was."
    )
    group = forms.ChoiceField(choices=_group_choices, required=False)
    initiative = forms.CharField(max_length=120, required=False)
    partnership = forms.TypedChoiceField(
        choices=_partnership_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="The partnership this work served, if any.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV, UTF-8, with the columns described below.")
    dry_run = forms.BooleanField(required=False, initial=True, label="Preview only")


class IndentedJSONField(forms.JSONField):
    """JSON shown indented, so a steward can read and edit a policy in the form."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


class PolicyForm(forms.Form):
    document = IndentedJSONField(
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text="The whole policy as JSON, like criteria.json's document.",
    )
    effective_from = forms.DateField(
        label="Takes effect on", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Why this version is published: shown on the criteria page.",
    )
    decision = forms.IntegerField(
        min_value=1,
        required=False,  # the service says what is missing, after the other checks
        label="Decision number",
        help_text="The passed decision that adopted exactly this document from this day.",
    )
