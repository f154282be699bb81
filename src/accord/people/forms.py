"""Forms for a member's own profile."""

import zoneinfo
from typing import Any

from django import forms

from accord.people.models import Member

PROFILE_FIELDS = (
    "display_name",
    "pronouns",
    "bio",
    "expertise",
    "time_zone",
    "accessibility_needs",
)


class ProfileForm(forms.ModelForm[Member]):
    expertise = forms.CharField(
        required=False,
        help_text="Comma-separated, for example: grant writing, python, event planning.",
    )
    time_zone = forms.ChoiceField(choices=[])

    class Meta:
        model = Member
        fields = list(PROFILE_FIELDS)
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)  # noqa: S101 - declared above
        time_zone.choices = [(z, z) for z in sorted(zoneinfo.available_timezones())]
        if self.instance and not self.is_bound:
            self.initial["expertise"] = ", ".join(self.instance.expertise)
