"""Reciprocity: the value recorded both ways under an agreement and the inputs derived from
where they happen (partner money paid to members, offerings used, contacts shared)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from accord.benefits.queries import distributed_by_source
from accord.domain import partnerships as ps
from accord.domain.allocation import largest_remainder
from accord.domain.disclosure import Published, suppress_counts
from accord.domain.money import format_amount, minor_units
from accord.partners.models import (
    TO_MEMBERS_KINDS,
    Agreement,
    Claim,
    ClaimKind,
    CommitmentKind,
    Fulfilment,
    PoolFunding,
    Side,
    ValueKind,
    ValueRecord,
)
from accord.people.visibility import sharing_counts, sharing_with_partners

# What members and the partner got that Accord reads from where it happened (not recorded by
# hand), by kind: money the partner paid that reached members, offerings members claimed,
# and the members who consented to share who they are with the partner.
DERIVED_KINDS = {
    "distribution": "Partner money paid to members",
    "offering": "Offerings members claimed, at stated value",
    "consented_contacts": "Members sharing who they are with the partner",
}


def reciprocity_of(agreement: Agreement, today: date | None = None) -> ps.Reciprocity:
    """What members got back against what the partner gained, with every input listed and
    dated (public: the inputs are about the partnership, never about a member)."""
    return reciprocities([agreement], today)[agreement.pk]


def reciprocities(
    agreements: Sequence[Agreement], today: date | None = None
) -> dict[int, ps.Reciprocity]:
    """Each agreement's reciprocity: the values stewards recorded, plus the inputs read from
    where they happen (`DERIVED_KINDS`), each a dated line with its basis. A derived input
    that counts 1 to 9 people is withheld, from the lines and the totals alike (its value
    over its unit value would give the count back). The one computation behind the page,
    the API, the portal and the list's Extractive flag, in a fixed number of queries."""
    today = today or timezone.localdate()
    ids = [a.pk for a in agreements]
    lines: dict[int, list[ps.ValueLine]] = {pk: [] for pk in ids}
    withheld = dict.fromkeys(ids, 0)
    recorded = ValueRecord.objects.filter(agreement_id__in=ids).values_list(
        "agreement_id", "kind", "amount", "on", "basis"
    )
    for agreement_id, kind, amount, on, basis in recorded:
        side = ps.Side.TO_MEMBERS if kind in TO_MEMBERS_KINDS else ps.Side.TO_PARTNER
        lines[agreement_id].append(ps.ValueLine(side, kind, amount, on, basis))
    derived = [*_distributed(agreements), *_offerings_used(ids, today), *_contacts(ids, today)]
    for agreement_id, line in derived:
        if line is None:
            withheld[agreement_id] += 1
        else:
            lines[agreement_id].append(line)
    return {pk: ps.reciprocity(lines[pk], withheld=withheld[pk]) for pk in ids}


type Derived = tuple[int, ps.ValueLine | None]  # an agreement's line, or None: withheld


def _distributed(agreements: Sequence[Agreement]) -> list[Derived]:
    """Money the partner gave under each agreement that reached members: paid against its
    financial commitments (traced through the community fund into pools) or given straight
    into a pool (`PoolFunding`), then through those pools into committed rounds, oldest money
    first (`distributed_by_source`). Counted when a round pays it to members; money still in
    the fund or a pool is not (yet) delivered."""
    currency = settings.ACCORD_CURRENCY
    received = Fulfilment.objects.filter(
        commitment__party=Side.PARTNER,
        commitment__kind=CommitmentKind.FINANCIAL,
        commitment__currency=currency,
    ).exclude(transaction_key="")
    credit = {
        key: f"{agreement_id}"
        for key, agreement_id in received.values_list("transaction_key", "commitment__agreement")
    }
    direct = PoolFunding.objects.filter(currency=currency).values_list(
        "transaction__key", "agreement_id"
    )
    credit.update({key: f"{agreement_id}:pool" for key, agreement_id in direct})
    names = {a.pk: a.partner.name for a in agreements}
    found: list[Derived] = []
    for part in distributed_by_source(currency, credit) if credit else []:
        agreement_id, _, route = part.source.partition(":")
        if int(agreement_id) in names:
            through = (
                "given straight into the pool"
                if route
                else "traced through the community fund and the pool"
            )
            basis = (
                f"{'Pool funding' if route else 'Payments'} by {names[int(agreement_id)]}, "
                f"paid to members in {part.pool} round {part.round} ({through}, oldest money "
                "first)"
            )
            line = ps.ValueLine(ps.Side.TO_MEMBERS, "distribution", part.amount, part.on, basis)
            found.append((int(agreement_id), line))
    return found


UPTAKE_CELLS = ("claim named", "claim others", "interest named", "interest others")


def uptake_cells(mine: Sequence[tuple[int, str]], sharing: set[int]) -> Published:
    """One offering's uptake as its partner's representatives may see it: the claims and
    interests (member, kind) in `mine`, named where the member is in `sharing` (they share
    who they are with the partner), through `suppress_counts`."""
    counts = dict.fromkeys(UPTAKE_CELLS, 0)
    for member_id, kind in mine:
        counts[f"{kind} {'named' if member_id in sharing else 'others'}"] += 1
    return suppress_counts(counts, total=len(mine), known={"claim named", "interest named"})


def _offerings_used(ids: list[int], today: date) -> list[Derived]:
    """The offerings made under each agreement that members claimed (interest does not
    count), each at its stated value, as of `today`. An offering's line is shown only when
    its claims number 10 or more and its partner's uptake page shows its claims by members
    it does not name: else the public count, less the names that page gives, would tell a
    number it hides."""
    currency = settings.ACCORD_CURRENCY
    rows = list(
        Claim.objects.filter(offering__agreement_id__in=ids, offering__currency=currency)
        .order_by("offering_id")
        .values_list(
            "offering_id",
            "member_id",
            "kind",
            "offering__agreement_id",
            "offering__partner_id",
            "offering__title",
            "offering__value",
        )
    )
    if not rows:
        return []
    sharing = sharing_with_partners({r[1] for r in rows}, {r[4] for r in rows})
    scale: int = 10 ** minor_units(currency)
    found: list[Derived] = []
    for offering_id in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == offering_id]
        _, _, _, agreement_id, partner_id, title, value = mine[0]
        claims = sum(1 for r in mine if r[2] == ClaimKind.CLAIM)
        if not claims:
            continue
        cells = uptake_cells(
            [(r[1], r[2]) for r in mine], {m for m, p in sharing if p == partner_id}
        )
        if not (ps.releasable(claims) and isinstance(cells.cells["claim others"], int)):
            found.append((agreement_id, None))
            continue
        each = Fraction(value) * scale
        basis = f"{claims} claims of “{title}” at its stated value of {_money(each)} each"
        amount = ps.valued(claims, each)
        found.append(
            (agreement_id, ps.ValueLine(ps.Side.TO_MEMBERS, "offering", amount, today, basis))
        )
    return found


def contact_value() -> Fraction:
    """What one consented contact is worth to a partner, in minor units (settings)."""
    scale: int = 10 ** minor_units(settings.ACCORD_CURRENCY)
    return Fraction(Decimal(settings.ACCORD_CONTACT_VALUE)) * scale


def _money(minor: Fraction) -> str:
    """An amount of minor units, exact to the cent (half up) in the community currency."""
    return format_amount(ps.valued(1, minor), settings.ACCORD_CURRENCY)


def _contacts(ids: list[int], today: date) -> list[Derived]:
    """The members who share who they are with each agreement's partner, as of `today`, at
    `ACCORD_CONTACT_VALUE` each, shared equally (largest remainder) among the partner's
    agreements that have not ended. Only a count of 10 or more is shown (and counted)."""
    current = list(
        Agreement.objects.filter(partner__agreements__pk__in=ids)
        .exclude(status=ps.Status.ENDED)
        .distinct()
        .order_by("pk")
        .values_list("pk", "partner_id", "partner__name")
    )
    if not current:
        return []
    counts = sharing_counts({p for _, p, _ in current})
    each = contact_value()
    found: list[Derived] = []
    for partner_id in dict.fromkeys(p for _, p, _ in current):
        theirs = [(pk, name) for pk, p, name in current if p == partner_id]
        count = counts.get(partner_id, 0)
        shown = [pk for pk, _ in theirs if pk in ids]
        if not count or not shown:
            continue
        if not ps.releasable(count):
            found.extend((pk, None) for pk in shown)
            continue
        keys = [str(pk) for pk, _ in theirs]
        split = largest_remainder(
            ps.valued(count, each), [1] * len(keys), keys, seed=f"contacts:{partner_id}"
        )
        basis = f"{count} members share who they are with {theirs[0][1]}, at {_money(each)} each"
        if len(theirs) > 1:
            basis += f", shared equally among its {len(theirs)} current partnerships"
        if not each:
            basis += " (ACCORD_CONTACT_VALUE is 0: counted, not valued)"
        found.extend(
            (pk, ps.ValueLine(ps.Side.TO_PARTNER, "consented_contacts", amount, today, basis))
            for (pk, _), amount in zip(theirs, split, strict=True)
            if pk in ids
        )
    return found


@dataclass(frozen=True)
class ValueLineView:
    on: date
    side: str  # as said: "to members" / "to the partner"
    kind: str  # the kind's label
    amount: str  # in the community's currency
    basis: str


@dataclass(frozen=True)
class ReciprocityView:
    """A partnership's reciprocity as pages show it: the totals and every input in the
    community's currency, the exact ratio (None when the partner received nothing)."""

    delivered: str
    received: str
    ratio: Fraction | None
    extractive: bool
    lines: list[ValueLineView]
    withheld: int  # derived inputs left out because each counts 1 to 9 people


SIDE_SAID = {ps.Side.TO_MEMBERS: "to members", ps.Side.TO_PARTNER: "to the partner"}


def reciprocity_view(agreement: Agreement, r: ps.Reciprocity | None = None) -> ReciprocityView:
    """The agreement's reciprocity in words and money (`r`, when already computed)."""
    r = reciprocity_of(agreement) if r is None else r
    currency = settings.ACCORD_CURRENCY
    kinds = {**dict(ValueKind.choices), **DERIVED_KINDS}
    return ReciprocityView(
        delivered=format_amount(r.delivered, currency),
        received=format_amount(r.received, currency),
        ratio=r.ratio,
        extractive=r.extractive,
        withheld=r.withheld,
        lines=[
            ValueLineView(
                on=v.on,
                side=SIDE_SAID[ps.Side(v.side)],
                kind=kinds.get(v.kind, v.kind),
                amount=format_amount(v.amount, currency),
                basis=v.basis,
            )
            for v in r.lines
        ],
    )
