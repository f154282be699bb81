"""The stewards' pool forms: each turns its fields into the action's schema (`to_schema`)."""

import uuid
from typing import Any

from django import forms

from accord.benefits.models import Method
from accord.benefits.schemas import ApproveIn, CloseIn, CommitIn, FundIn, PoolIn, PoolPatch


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


FORMATS_HELP = "Comma-separated, e.g. “bank transfer, book vouchers”; the first is the default."
PUBLISHING_HELP = "Those of the formats that feature the member publicly (never the first)."


class _PoolTerms(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    formats = forms.CharField(initial="standard", help_text=FORMATS_HELP)
    publishing_formats = forms.CharField(required=False, help_text=PUBLISHING_HELP)
    eligible_groups = forms.MultipleChoiceField(
        required=False,
        help_text="Members of these groups during the period; none selected means everyone.",
    )
    minimum_payout = forms.IntegerField(
        min_value=0, initial=0, help_text="In the unit's smallest amount (cents for EUR)."
    )
    member_cap = forms.IntegerField(
        min_value=0, required=False, help_text="The most one member receives; empty: no cap."
    )
    choice_days = forms.IntegerField(min_value=1, max_value=365, initial=30)

    def __init__(self, *args: Any, groups: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["eligible_groups"].choices = groups  # type: ignore[attr-defined]

    def terms(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "description": d["description"],
            "formats": _list(d["formats"]),
            "publishing_formats": _list(d["publishing_formats"]),
            "eligible_groups": list(d["eligible_groups"]),
            "minimum_payout": d["minimum_payout"],
            "choice_days": d["choice_days"],
        }


class PoolForm(_PoolTerms):
    name = forms.CharField(max_length=160)
    unit = forms.CharField(
        max_length=32, help_text="A currency (EUR) or a unit (training_credit)."
    )
    method = forms.ChoiceField(choices=Method.choices)
    half_life_days = forms.IntegerField(min_value=1, initial=90, help_text="RECENT only.")
    period_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    policy = forms.TypedChoiceField(coerce=int, label="Attribution policy version")

    field_order = ("name", "unit", "method", "half_life_days", "period_start", "period_end")

    def __init__(self, *args: Any, policies: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [(v, f"v{v}") for v in policies]  # type: ignore[attr-defined]

    def to_schema(self) -> PoolIn:
        d = self.cleaned_data
        return PoolIn(
            name=d["name"],
            unit=d["unit"],
            method=d["method"],
            half_life_days=d["half_life_days"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            policy=d["policy"],
            member_cap=d["member_cap"] or None,
            **self.terms(),
        )


class PoolEditForm(_PoolTerms):
    name = forms.CharField(max_length=160)

    field_order = ("name",)

    def to_schema(self) -> PoolPatch:
        # An empty cap removes it (0 in the schema).
        return PoolPatch(
            name=self.cleaned_data["name"],
            member_cap=self.cleaned_data["member_cap"] or 0,
            **self.terms(),
        )


class FundForm(forms.Form):
    amount = forms.IntegerField(
        min_value=1, help_text="In the pool's smallest unit (cents for EUR)."
    )
    source = forms.CharField(
        max_length=160,
        help_text="Who funds it, e.g. donations or dues; the public ledger keeps only a hash "
        "of this. A partner's money is recorded on its partnership's page instead, so that "
        "it counts as that partner's.",
    )
    from_community_fund = forms.BooleanField(
        required=False,
        label="Pay from the community fund",
        help_text="Use money already received (from partners' commitments, donated payouts).",
    )
    # A new key per rendered form, so that submitting the same form twice funds once.
    key = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex
    )

    def to_schema(self) -> FundIn:
        return FundIn(**self.cleaned_data)


class CloseForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it closes; the public ledger keeps only a hash of this.",
    )

    def to_schema(self) -> CloseIn:
        return CloseIn(**self.cleaned_data)


class ApproveForm(forms.Form):
    # The round the office holder previewed; without it, the next round.
    round = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def to_schema(self) -> ApproveIn:
        return ApproveIn(round=self.cleaned_data["round"])


class CommitForm(forms.Form):
    # The round the treasurer previewed; without it, the next round.
    round = forms.IntegerField(min_value=1, widget=forms.HiddenInput, required=False)

    def to_schema(self) -> CommitIn:
        return CommitIn(round=self.cleaned_data["round"], key="")
