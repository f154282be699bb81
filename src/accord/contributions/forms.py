"""The form a member fills in to log a contribution."""

from django import forms

from accord.contributions.models import LEVELS, Kind
from accord.people.models import Group


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
    group = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"), required=False, to_field_name="slug"
    )
    initiative = forms.CharField(max_length=120, required=False)
    partnership = forms.CharField(max_length=120, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV, UTF-8, with the columns described below.")
    dry_run = forms.BooleanField(required=False, initial=True, label="Preview only")
