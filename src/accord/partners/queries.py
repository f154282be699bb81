"""Reads about partners and their agreements. Partner representatives see only members who
said yes; an agreement's evaluation is read here for the pages and the API."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accord.benefits.queries import distributed_by_source
from accord.domain import partnerships as ps
from accord.domain import risks as rs
from accord.domain.allocation import largest_remainder
from accord.domain.disclosure import Cell, Hidden, Published, suppress_counts
from accord.domain.documents import ACCEPTED
from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount, minor_units
from accord.partners import permissions
from accord.partners.models import (
    TO_MEMBERS_KINDS,
    Agreement,
    AgreementChange,
    AgreementVersion,
    Claim,
    ClaimKind,
    Commitment,
    CommitmentKind,
    Disclosure,
    Document,
    Fulfilment,
    Goal,
    Offering,
    OfferingKind,
    Partner,
    PartnerContact,
    PartnerKind,
    Reading,
    Reason,
    Representative,
    Review,
    Risk,
    Role,
    Side,
    Update,
    UpdateComment,
    ValueKind,
    ValueRecord,
)
from accord.people.models import Member, SiteRole
from accord.people.permissions import holds_office, is_steward
from accord.people.visibility import (
    Audience,
    Sight,
    audience_of,
    named_among,
    shared_with_partner,
    sharing_counts,
    sharing_with_partners,
    shown_to_partner,
)
from accord.web.templatetags.accord_format import percent


@dataclass(frozen=True)
class PartnerList:
    """The public list of partners; `can_add` says whether this reader may add one."""

    partners: list[Partner]
    can_add: bool


def partner_list(viewer: Member | None) -> PartnerList:
    return PartnerList(list(Partner.objects.all()), permissions.can_manage_partners(viewer))


@dataclass(frozen=True)
class ManagePage:
    """A steward's page for one partner: its details and its representatives (office
    holders, shown by name and handle)."""

    partner: Partner
    representatives: list[Representative]
    contacts: list[PartnerContact]


def manage_page(viewer: Member | None, slug: str) -> ManagePage:
    """Stewards only; anyone else is told there is no such page."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_manage_partners(viewer):
        raise NotFound("No such page.")
    reps = list(partner.representatives.select_related("member").order_by("since", "pk"))
    return ManagePage(partner, reps, list(partner.contacts.all()))


def visible_partner_view(viewer: Member | None, slug: str) -> "PartnerView":
    """A partner's page of opted-in members, for its representatives and the stewards."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    if not permissions.can_view_partner_members(viewer, partner):
        raise Forbidden("Only this partner's representatives and stewards see this.")
    return partner_view(partner)


def partner_of(member: Member) -> Partner | None:
    rep = getattr(member, "representation", None)
    return rep.partner if rep is not None else None


@dataclass(frozen=True)
class PartnerView:
    """A partner's page. Members are named only with their consent; `member_count` is the
    community's size as it may be published (see `partner_view`)."""

    partner: Partner
    shared_profiles: list[Member]
    contactable: list[Member]
    member_count: Cell
    contacts: list[PartnerContact]  # the partner's own staff to write to (not members)

    @property
    def too_few(self) -> bool:
        """The community has fewer than 10 members, so its size is not given."""
        return isinstance(self.member_count, Hidden) and self.member_count.small

    @property
    def size_withheld(self) -> bool:
        """The size is hidden because, less the members named here, it would be small."""
        return isinstance(self.member_count, Hidden) and not self.member_count.small


def partner_view(partner: Partner) -> PartnerView:
    """What a partner may see: totals, profiles shared with partners, contactable members
    (the all-partners switches, or consent to this partner: `shown_to_partner`).

    The members named on the page are counted by anyone who reads it, so the total less
    them would say how many did not consent: the total goes through `suppress_counts` with
    the named members as a known cell, and is hidden when that difference is 1 to 9 (or
    the community has fewer than 10 members)."""
    members = Member.objects.filter(erased_at__isnull=True)
    shared_profiles = list(
        shown_to_partner(partner.pk, members, Sight.PROFILE).order_by("display_name")
    )
    contactable = list(
        shown_to_partner(partner.pk, members, Sight.CONTACT)
        .select_related("user")
        .order_by("display_name")
    )
    total = members.count()
    named = len({m.pk for m in shared_profiles} | {m.pk for m in contactable})
    published = suppress_counts(
        {"named": named, "not named": total - named}, total=total, known={"named"}
    )
    return PartnerView(
        partner=partner,
        shared_profiles=shared_profiles,
        contactable=contactable,
        member_count=Hidden(small=True) if published.total is None else published.total,
        contacts=list(partner.contacts.all()),
    )


# -- agreements -----------------------------------------------------------------------------


def activation_rule() -> ps.ActivationRule:
    """The community's rule for activating a partnership (settings)."""
    return ps.ActivationRule(
        threshold=Fraction(settings.ACCORD_ACTIVATION_THRESHOLD),  # a str when overridden
        floor=Fraction(settings.ACCORD_ACTIVATION_FLOOR),
        evaluators=int(settings.ACCORD_ACTIVATION_EVALUATORS),
    )


def evaluation_of(agreement: Agreement) -> ps.EvaluationSummary:
    """The agreement's evaluation so far: every evaluator's latest score per criterion."""
    rows = agreement.scores.order_by("at", "pk").values_list("evaluator_id", "criterion", "score")
    return ps.summarize(ps.Score(str(e), c, s) for e, c, s in rows)


def agreements() -> QuerySet[Agreement]:
    """Agreements are public: their partner, purpose, status and maturity."""
    return Agreement.objects.select_related("partner").prefetch_related("changes")


def agreement(agreement_id: int) -> Agreement:
    found = agreements().filter(pk=agreement_id).first()
    if found is None:
        raise NotFound(f"No agreement {agreement_id}.")
    return found


# -- agreement pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFilters:
    """The list's filters as the reader chose them; a value that is not a status or a
    partner type is ignored, so the list and its export never disagree on what it means."""

    status: str = ""
    kind: str = ""

    @classmethod
    def of(cls, raw: Mapping[str, str]) -> "AgreementFilters":
        status, kind = raw.get("status", ""), raw.get("kind", "")
        return cls(
            status=status if status in STATUSES else "",
            kind=kind if kind in PartnerKind.values else "",
        )

    def as_query(self) -> str:
        """The filters as a query string (for the export link of what the list shows)."""
        return urlencode({k: v for k, v in (("status", self.status), ("kind", self.kind)) if v})


STATUSES = [s.value for s in ps.Status]


def filtered_agreements(filters: AgreementFilters) -> QuerySet[Agreement]:
    found = Agreement.objects.select_related("partner")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.kind:
        found = found.filter(partner__kind=filters.kind)
    return found


@dataclass(frozen=True)
class AgreementRow:
    """One agreement as the public list (and its CSV export) shows it."""

    agreement: Agreement
    level_label: str
    extractive: bool = False  # members got back less than the partner gained

    @property
    def cells(self) -> tuple[object, ...]:
        a = self.agreement
        return (
            a.pk,
            a.partner.name,
            a.partner.get_kind_display(),
            a.title,
            a.get_status_display(),
            a.level,
            self.level_label,
            a.target_level,
        )


AGREEMENT_COLUMNS = (
    "id",
    "partner",
    "partner_type",
    "title",
    "status",
    "level",
    "level_label",
    "target_level",
)


def agreement_rows(filters: AgreementFilters) -> list[AgreementRow]:
    """The agreements the filters select, in the list's order: the page and the export."""
    labels = ps.level_labels()
    found = list(filtered_agreements(filters))
    extractive = extractive_among(found)
    return [AgreementRow(a, labels[a.level], a.pk in extractive) for a in found]


def extractive_among(agreements: Sequence[Agreement]) -> set[int]:
    """Which of these agreements are extractive (a reciprocity ratio below 1): the same
    figures as each partnership's page (`reciprocities`), read for all of them at once."""
    return {pk for pk, r in reciprocities(agreements).items() if r.extractive}


@dataclass(frozen=True)
class AgreementList:
    """The public list of partnership agreements; `can_record` says whether this reader
    may record one (and `partners` are the choices of its form)."""

    rows: list[AgreementRow]
    filters: AgreementFilters
    can_record: bool
    partners: list[Partner]


def agreement_list(viewer: Member | None, filters: AgreementFilters) -> AgreementList:
    can_record = permissions.can_manage_partners(viewer)
    return AgreementList(
        rows=agreement_rows(filters),
        filters=filters,
        can_record=can_record,
        partners=list(Partner.objects.all()) if can_record else [],
    )


@dataclass(frozen=True)
class CriterionLine:
    """One of the ten criteria on the scoring form, with the reader's own score so far (or
    what they had entered, when the form is shown again with a refusal)."""

    criterion: ps.Criterion
    chosen: str  # "1" to "5", or "" for not scored
    note: str


@dataclass(frozen=True)
class Evaluation:
    """The evaluation so far and whether it meets the community's activation rule."""

    summary: ps.EvaluationSummary
    problems: list[str]

    @property
    def meets_rule(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class AgreementPage:
    """One partnership as a reader may see it. Its facts and dated history are public;
    `evaluation` is None for readers who may not see it, `scoring` empty for readers who
    may not score now, and `next_statuses` empty for readers who may not move it."""

    agreement: Agreement
    labels: dict[int, str]
    reasons: list[str]
    changes: list[AgreementChange]
    evaluation: Evaluation | None
    scoring: list[CriterionLine]
    can_manage: bool
    next_statuses: list[tuple[str, str]]  # (status, as said)

    @property
    def level_label(self) -> str:
        return self.labels[self.agreement.level]

    @property
    def target_label(self) -> str:
        return self.labels[self.agreement.target_level]


def _scoring(
    viewer: Member | None, agreement: Agreement, entered: Mapping[str, str] | None
) -> list[CriterionLine]:
    """The scoring form's lines, for an evaluator while the agreement is being evaluated."""
    if agreement.status != ps.Status.EVALUATING or not permissions.can_evaluate(viewer):
        return []
    if entered is not None:
        return [
            CriterionLine(c, entered.get(f"score-{c.key}", ""), entered.get(f"note-{c.key}", ""))
            for c in ps.CRITERIA
        ]
    mine = {s.criterion: s for s in agreement.scores.filter(evaluator=viewer)}
    return [
        CriterionLine(
            c,
            str(mine[c.key].score) if c.key in mine else "",
            mine[c.key].note if c.key in mine else "",
        )
        for c in ps.CRITERIA
    ]


def _evaluation(viewer: Member | None, agreement: Agreement) -> Evaluation | None:
    if not permissions.can_see_evaluation(viewer, agreement.partner):
        return None
    summary = evaluation_of(agreement)
    return Evaluation(summary, ps.activation_problems(summary, activation_rule()))


def agreement_page(
    viewer: Member | None, agreement_id: int, *, entered_scores: Mapping[str, str] | None = None
) -> AgreementPage:
    """The partnership page: public facts and history for anyone, the evaluation for office
    holders and the partner's own representatives, the forms for whoever may use them
    (the scoring form with `entered_scores`, the posted form, when it is shown again)."""
    found = (
        Agreement.objects.select_related("partner")
        .prefetch_related(
            Prefetch("changes", queryset=AgreementChange.objects.select_related("by"))
        )
        .filter(pk=agreement_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No agreement {agreement_id}.")
    steward = permissions.can_manage_partners(viewer)
    current = ps.Status(found.status)
    reason_labels = dict(Reason.choices)
    return AgreementPage(
        agreement=found,
        labels=ps.level_labels(),
        reasons=[reason_labels.get(r, r) for r in found.reasons],
        changes=list(found.changes.all()),
        evaluation=_evaluation(viewer, found),
        scoring=_scoring(viewer, found, entered_scores),
        can_manage=steward,
        next_statuses=[
            (s.value, s.value.replace("_", " ")) for s in sorted(ps.TRANSITIONS[current])
        ]
        if steward
        else [],
    )


# -- updates channel --------------------------------------------------------------------------

A_MEMBER = "a member"
UPDATES_SHOWN = 50  # the newest updates on a page; older ones stay in the API's pages


@dataclass(frozen=True)
class Comment:
    """A comment as one reader sees it: its author named only where `may()` lets them."""

    id: int
    author: str
    body: str
    at: datetime
    mine: bool
    removable: bool


@dataclass(frozen=True)
class UpdateView:
    update: Update
    author: str
    comments: list[Comment] | None  # None: signed-out readers see the updates only
    earlier: int = 0  # older comments not shown (beyond the newest COMMENTS_SHOWN)


COMMENTS_SHOWN = 50  # the newest comments of each update shown; the count of the rest


def updates_of(
    viewer: Member | None, agreement: Agreement, *, limit: int = UPDATES_SHOWN
) -> list[UpdateView]:
    """A partnership's updates, newest first, for anyone; their comments for signed-in
    readers, each author named where the reader may see their profile, else "a member"."""
    return _views(viewer, list(agreement.updates.select_related("author")[:limit]))


def update_view(viewer: Member | None, update_id: int) -> UpdateView:
    update = Update.objects.select_related("author").filter(pk=update_id).first()
    if update is None:
        raise NotFound(f"No update {update_id}.")
    return _views(viewer, [update])[0]


def _views(viewer: Member | None, updates: list[Update]) -> list[UpdateView]:
    comments: dict[int, list[UpdateComment]] = {u.pk: [] for u in updates}
    of: dict[int, int] = {}
    if viewer is not None:
        rows = (
            UpdateComment.objects.filter(update__in=updates)
            .select_related("author")
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=[F("update_id")],
                    order_by=[F("at").desc(), F("pk").desc()],
                ),
                of=Window(Count("pk"), partition_by=[F("update_id")]),
            )
            .filter(newest__lte=COMMENTS_SHOWN)
            .order_by("at", "pk")
        )
        for comment in rows:
            comments[comment.update_id].append(comment)
            of[comment.update_id] = comment.of
    shown = named_among(
        viewer, {c.author_id for cs in comments.values() for c in cs}, Sight.PROFILE
    )
    moderates = permissions.can_manage_partners(viewer)
    return [
        UpdateView(
            update=u,
            author=u.author.pseudonym,
            comments=None
            if viewer is None
            else [
                Comment(
                    id=c.pk,
                    author=c.author.display_name if c.author_id in shown else A_MEMBER,
                    body=c.body,
                    at=c.at,
                    mine=c.author_id == viewer.pk,
                    removable=c.author_id == viewer.pk or moderates,
                )
                for c in comments[u.pk]
            ],
            earlier=of.get(u.pk, 0) - len(comments[u.pk]),
        )
        for u in updates
    ]


# -- reciprocity ------------------------------------------------------------------------------

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
    """Money the partner paid against its financial commitments under each agreement that
    reached members: traced through the community fund into pools and through those pools
    into committed rounds, oldest money first (`distributed_by_source`). Counted when a round
    pays it to members; money still in the fund or a pool is not (yet) delivered."""
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
    names = {a.pk: a.partner.name for a in agreements}
    found: list[Derived] = []
    for part in distributed_by_source(currency, credit) if credit else []:
        if int(part.source) in names:
            basis = (
                f"Payments by {names[int(part.source)]}, paid to members in "
                f"{part.pool} round {part.round} (traced through the community fund and "
                "the pool, oldest money first)"
            )
            line = ps.ValueLine(ps.Side.TO_MEMBERS, "distribution", part.amount, part.on, basis)
            found.append((int(part.source), line))
    return found


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


# -- the partnership page's sections ----------------------------------------------------------


@dataclass(frozen=True)
class Sections:
    """The partnership page below its facts: the body, reciprocity, registers and updates,
    with the forms this reader may use (`update_side` None: no post form)."""

    body: "Body"
    reciprocity: ReciprocityView
    registers: "Registers"
    updates: list[UpdateView]
    update_side: str | None
    can_comment: bool
    can_record_value: bool
    value_kinds: list[tuple[str, str]]
    currency: str


def partnership(
    viewer: Member | None, agreement_id: int, *, entered_scores: Mapping[str, str] | None = None
) -> tuple[AgreementPage, Sections, "BodyForms"]:
    """The whole partnership page: the agreement read once, with its changes, and passed to
    every section, and the forms its reader may use; who the reader is asked once."""
    with permissions.remembered():
        page = agreement_page(viewer, agreement_id, entered_scores=entered_scores)
        sections = agreement_sections(viewer, page.agreement)
        return page, sections, body_forms(viewer, sections)


def agreement_sections(viewer: Member | None, agreement: Agreement) -> Sections:
    steward = permissions.can_manage_partners(viewer)
    return Sections(
        body=agreement_body(agreement, viewer),
        reciprocity=reciprocity_view(agreement),
        registers=agreement_registers(agreement, viewer),
        updates=updates_of(viewer, agreement),
        update_side=permissions.side_of(viewer, agreement.partner),
        can_comment=permissions.can_comment(viewer),
        can_record_value=steward,
        value_kinds=list(ValueKind.choices) if steward else [],
        currency=settings.ACCORD_CURRENCY,
    )


# -- the partner portal -----------------------------------------------------------------------

PORTAL_UPDATES = 3


@dataclass(frozen=True)
class PortalAgreement:
    """One of a partner's agreements as its representative sees it on their own page:
    aggregates only (the evaluation's per-criterion means, never who scored)."""

    agreement: Agreement
    level_label: str
    target_label: str
    body: "Body"
    evaluation: ps.EvaluationSummary
    updates: list[UpdateView]
    reciprocity: ReciprocityView


def portal_of(viewer: Member, partner: Partner) -> list[PortalAgreement]:
    """Every agreement of the partner `viewer` represents (and only of that partner)."""
    with permissions.remembered():
        return _portal(viewer, partner)


def _portal(viewer: Member, partner: Partner) -> list[PortalAgreement]:
    if not permissions.represents(viewer, partner):
        raise Forbidden("Only the partner's own representatives see its portal.")
    labels = ps.level_labels()
    found = list(
        Agreement.objects.filter(partner=partner)
        .select_related("partner")
        .prefetch_related("changes")
    )
    figures = reciprocities(found)
    return [
        PortalAgreement(
            agreement=a,
            level_label=labels[a.level],
            target_label=labels[a.target_level],
            body=agreement_body(a, viewer),
            evaluation=evaluation_of(a),
            updates=updates_of(viewer, a, limit=PORTAL_UPDATES),
            reciprocity=reciprocity_view(a, figures[a.pk]),
        )
        for a in found
    ]


# -- risks and conflicts of interest ----------------------------------------------------------

OFFICES = frozenset({SiteRole.STEWARD, SiteRole.TREASURER, SiteRole.AUDITOR})


@dataclass(frozen=True)
class RiskLine:
    """A line of the risk register as shown: the risk, its severity and band."""

    risk: Risk
    severity: int
    band: str
    owner: str | None  # the owning office holder's handle


@dataclass(frozen=True)
class DisclosureLine:
    """A disclosure as shown to anyone: the discloser's handle while they hold an office
    (None once they are a plain member again, or erased: members are never named here), and
    the interest they declared (empty once they are erased: it was theirs, and its hash in
    the ledger can no longer be opened)."""

    disclosure: Disclosure
    discloser: str | None
    role: str
    interest: str


@dataclass(frozen=True)
class Registers:
    """An agreement's registers for one reader. `risks` is None when the reader may not
    see the risk register (`permissions.can_see_risks`); disclosures are public."""

    agreement: Agreement
    risks: list[RiskLine] | None
    disclosures: list[DisclosureLine]

    @property
    def open_disclosures(self) -> int:
        return sum(1 for d in self.disclosures if d.disclosure.is_open)


def _risk_lines(agreement: Agreement) -> list[RiskLine]:
    """The register in its order (`risks.register_order`): open first, most severe first."""
    risks = {r.pk: r for r in agreement.risks.select_related("owner")}
    ordered = rs.register_order(
        rs.RiskLine(r.pk, rs.RiskStatus(r.status), r.rating) for r in risks.values()
    )
    return [
        RiskLine(
            risk=risks[line.key],
            severity=line.rating.severity,
            band=line.rating.band.value,
            owner=_office_handle(risks[line.key].owner),
        )
        for line in ordered
    ]


def _office_handle(member: Member | None) -> str | None:
    """A member's handle if they hold an office now; None for anyone else."""
    if member is None or member.erased_at is not None or member.role not in OFFICES:
        return None
    return member.pseudonym


def disclosure_line(disclosure: Disclosure) -> DisclosureLine:
    erased = disclosure.discloser.erased_at is not None
    return DisclosureLine(
        disclosure,
        _office_handle(disclosure.discloser),
        disclosure.role,
        "" if erased else disclosure.interest,
    )


def disclosure_lines(agreement: Agreement) -> list[DisclosureLine]:
    """Every disclosure on the agreement, open and closed, in the order declared."""
    return [disclosure_line(d) for d in agreement.disclosures.select_related("discloser")]


def agreement_registers(agreement: Agreement, viewer: Member | None) -> Registers:
    """What `partners/_agreement_registers.html` shows `viewer` about `agreement`."""
    sees = permissions.can_see_risks(viewer, agreement.partner)
    return Registers(
        agreement=agreement,
        risks=_risk_lines(agreement) if sees else None,
        disclosures=disclosure_lines(agreement),
    )


def _bare_agreement(agreement_id: int) -> Agreement:
    found = Agreement.objects.select_related("partner").filter(pk=agreement_id).first()
    if found is None:
        raise NotFound(f"No agreement {agreement_id}.")
    return found


def visible_risks(viewer: Member | None, agreement_id: int) -> list[RiskLine]:
    """An agreement's risk register, for office holders and the partner's own
    representatives (anyone else: Forbidden)."""
    found = _bare_agreement(agreement_id)
    if not permissions.can_see_risks(viewer, found.partner):
        raise Forbidden(
            "A partnership's risk register is for office holders and the partner's own "
            "representatives."
        )
    return _risk_lines(found)


def disclosures_of(agreement_id: int) -> list[DisclosureLine]:
    """An agreement's conflict-of-interest register: public."""
    return disclosure_lines(_bare_agreement(agreement_id))


def flagged_evaluators(agreement: Agreement) -> list[str]:
    """The handles of evaluators who scored the agreement while holding an open disclosure
    on it, in handle order.

    Scoring by a disclosed evaluator is allowed (their knowledge still informs the
    evaluation, and their scores count towards activation) but flagged, so that whoever
    decides on activation, who is never a disclosed person, weighs those scores knowing it.
    """
    disclosed = agreement.disclosures.filter(closed_at__isnull=True).values("discloser_id")
    return sorted(
        Member.objects.filter(pk__in=disclosed)
        .filter(pk__in=agreement.scores.values("evaluator_id"))
        .values_list("pseudonym", flat=True)
    )


# -- offerings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingList:
    """Every offering, open ones first; `partners` are those this reader may make
    offerings for (none: no create form)."""

    offerings: list[Offering]
    partners: list[Partner]
    kinds: list[tuple[str, str]]
    currency: str


def offering_list(viewer: Member | None) -> OfferingList:
    """Offerings are public: what partners offer, to whom, and what it is worth."""
    if is_steward(viewer):
        partners = list(Partner.objects.all())
    else:
        own = partner_of(viewer) if viewer is not None else None
        partners = [own] if own is not None else []
    return OfferingList(
        offerings=list(Offering.objects.select_related("partner")[:500]),
        partners=partners,
        kinds=list(OfferingKind.choices),
        currency=settings.ACCORD_CURRENCY,
    )


@dataclass(frozen=True)
class ReviewRow:
    """A review, with its reviewer's name only when the reader may see them (else None:
    "a member")."""

    reviewer: str | None
    rating: int
    text: str
    at: datetime
    mine: bool


@dataclass(frozen=True)
class OfferingPage:
    offering: Offering
    reviews: list[ReviewRow]
    my_claim: Claim | None
    my_review: Review | None
    can_take_up: bool
    can_manage: bool


def _reviewers_named(viewer: Member | None, offering: Offering, ids: set[int]) -> set[int]:
    """Which reviewers `viewer` may see by name. A review says its author took up the
    partner's offering, so a partner representative sees a reviewer's name only if they
    represent this offering's partner and the reviewer shares who they are with it (as
    on the uptake page); everyone else as the reviewer's profile allows (`named_among`)."""
    if audience_of(viewer) != Audience.PARTNERS:
        return named_among(viewer, ids, Sight.PROFILE)
    if not permissions.represents(viewer, offering.partner):
        return set()
    shared = shared_with_partner(offering.partner_id, Member.objects.filter(pk__in=ids))
    return set(shared.values_list("pk", flat=True))


def offering_page(viewer: Member | None, offering_id: int) -> OfferingPage:
    offering = Offering.objects.select_related("partner", "agreement").filter(pk=offering_id)
    found = offering.first()
    if found is None:
        raise NotFound(f"No offering {offering_id}.")
    reviews = list(found.reviews.select_related("member"))
    named = _reviewers_named(viewer, found, {r.member_id for r in reviews})
    me = viewer.pk if viewer is not None else None
    return OfferingPage(
        offering=found,
        reviews=[
            ReviewRow(
                reviewer=r.member.display_name
                if r.member_id in named or r.member_id == me
                else None,
                rating=r.rating,
                text=r.text,
                at=r.at,
                mine=r.member_id == me,
            )
            for r in reviews
        ],
        my_claim=found.claims.filter(member_id=me).first() if me else None,
        my_review=next((r for r in reviews if r.member_id == me), None),
        can_take_up=permissions.can_take_up(viewer),
        can_manage=permissions.can_manage_offerings(viewer, found.partner),
    )


@dataclass(frozen=True)
class UptakeName:
    name: str
    pseudonym: str
    kind: str


@dataclass(frozen=True)
class Uptake:
    """One offering's uptake as its partner may see it: counts through `suppress_counts`
    (the people named below are a known cell: shown, and never covering another), and
    the names of those who consented to share who they are with this partner."""

    offering: Offering
    counts: Published
    named: list[UptakeName]


@dataclass(frozen=True)
class UptakePage:
    partner: Partner
    offerings: list[Uptake]


UPTAKE_CELLS = ("claim named", "claim others", "interest named", "interest others")
# The cells a page shows as numbers: those named are listed by name instead (a count of
# them would be a small number on the page, though the list already says it).
UPTAKE_LABELS = {
    "claim others": "Claimed, not named",
    "interest others": "Interested, not named",
}


def uptake_page(viewer: Member | None, slug: str) -> UptakePage:
    """A partner's offerings' uptake, for its own representatives and the stewards; anyone
    else is told there is no such page (another partner's representative included)."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_view_partner_members(viewer, partner):
        raise NotFound("No such page.")
    offerings = list(partner.offerings.all())
    claims = list(
        Claim.objects.filter(offering__partner=partner).values_list(
            "offering_id", "member_id", "kind"
        )
    )
    consenting = shared_with_partner(
        partner.pk, Member.objects.filter(pk__in={m for _, m, _ in claims})
    )
    people = {m.pk: m for m in consenting.order_by("display_name", "pseudonym")}
    rows = []
    for offering in offerings:
        mine = [(m, k) for o, m, k in claims if o == offering.pk]
        named = sorted(
            (
                UptakeName(people[m].display_name, people[m].pseudonym, k)
                for m, k in mine
                if m in people
            ),
            key=lambda n: (n.name, n.pseudonym),
        )
        rows.append(Uptake(offering, uptake_cells(mine, set(people)), named))
    return UptakePage(partner, rows)


def offering_exists(offering_id: int) -> bool:
    return Offering.objects.filter(pk=offering_id).exists()


# -- goals and commitments ---------------------------------------------------------------------


def plain(value: Decimal) -> str:
    """A metric's value without trailing zeros or an exponent: 5000, 12.5."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    progress: ps.Progress
    readings: list[Reading]

    @property
    def state_label(self) -> str:
        return self.progress.state.value.replace("_", " ")

    @property
    def baseline(self) -> str:
        return plain(self.goal.baseline)

    @property
    def target(self) -> str:
        return plain(self.goal.target)

    @property
    def latest(self) -> str | None:
        return plain(self.readings[-1].value) if self.readings else None

    @property
    def latest_on(self) -> date | None:
        return self.readings[-1].on if self.readings else None

    @property
    def values(self) -> list[tuple[date, str]]:
        """Each reading's date and value, oldest first."""
        return [(r.on, plain(r.value)) for r in self.readings]


@dataclass(frozen=True)
class CommitmentView:
    commitment: Commitment
    fulfilment: ps.Fulfilment
    fulfilments: list[Fulfilment]
    notes_shown: bool  # delivery notes: office holders and the partner's representatives

    def _money(self, minor: int | None) -> str | None:
        return None if minor is None else format_amount(minor, self.commitment.currency)

    @property
    def amount(self) -> str | None:
        return self._money(self.fulfilment.promised)

    @property
    def received(self) -> str | None:
        return self._money(self.fulfilment.received if self.fulfilment.promised else None)

    @property
    def outstanding(self) -> str | None:
        return self._money(self.fulfilment.outstanding)


@dataclass(frozen=True)
class ReviewDates:
    every_months: int | None
    last_reviewed_on: date | None
    next_on: date | None
    due: bool  # the next review date has come


@dataclass(frozen=True)
class Body:
    """An agreement's body as `viewer` may read it: goals with progress, commitments with
    fulfilment, the review dates and the dated versions of its text."""

    agreement: Agreement
    goals: list[GoalView]
    suggested_goals: tuple[ps.GoalSuggestion, ...]  # offered while it has no goals
    commitments: list[CommitmentView]
    review: ReviewDates
    versions: list[AgreementVersion]
    roles: list[Role]
    documents: list[Document]  # empty for readers who may not see them


def _activated_on(agreement: Agreement) -> date | None:
    """When the agreement last became active (read from its changes, prefetched or not)."""
    became = [
        c.at
        for c in agreement.changes.all()
        if c.field == "status" and c.after == ps.Status.ACTIVE
    ]
    return timezone.localdate(max(became)) if became else None


def review_of(agreement: Agreement, today: date | None = None) -> ReviewDates:
    """The next review: the cadence after the last review, or after activation."""
    today = today or timezone.localdate()
    anchor = agreement.last_reviewed_on or _activated_on(agreement)
    every = agreement.review_every_months
    upcoming = ps.next_review(anchor, every) if anchor and every else None
    return ReviewDates(
        every, agreement.last_reviewed_on, upcoming, upcoming is not None and upcoming <= today
    )


def goal_view(goal: Goal, today: date | None = None) -> GoalView:
    """A goal with its readings and its progress as of `today`."""
    today = today or timezone.localdate()
    readings = list(goal.readings.all())
    measured = ps.progress(
        baseline=Fraction(goal.baseline),
        target=Fraction(goal.target),
        start=goal.starts_on,
        due=goal.due_on,
        readings=[ps.Measure(r.on, Fraction(r.value), r.pk) for r in readings],
        today=today,
    )
    return GoalView(goal, measured, readings)


def commitment_view(
    commitment: Commitment, viewer: Member | None, *, notes_shown: bool | None = None
) -> CommitmentView:
    """A commitment with its deliveries and what it has delivered so far (`notes_shown`,
    when the caller already knows whether `viewer` may read delivery notes)."""
    if notes_shown is None:
        notes_shown = permissions.can_see_evaluation(viewer, commitment.agreement.partner)
    done = list(commitment.fulfilments.all())
    state = ps.fulfilment(
        commitment.amount,
        [f.amount for f in done if f.amount is not None],
        marked_done=commitment.done_at is not None,
    )
    return CommitmentView(commitment, state, done, notes_shown)


def agreement_body(agreement: Agreement, viewer: Member | None) -> Body:
    """The body of a (public) agreement; delivery notes only for office holders and the
    partner's own representatives. The suggested goals are offered to stewards while the
    agreement has none."""
    today = timezone.localdate()
    goals = [goal_view(g, today) for g in agreement.goals.prefetch_related("readings")]
    notes = permissions.can_see_evaluation(viewer, agreement.partner)
    commitments = [
        commitment_view(c, viewer, notes_shown=notes)
        for c in agreement.commitments.prefetch_related("fulfilments")
    ]
    suggest = not goals and permissions.can_shape_agreement(viewer)
    return Body(
        agreement=agreement,
        goals=goals,
        suggested_goals=ps.suggested_goals(settings.ACCORD_CURRENCY) if suggest else (),
        commitments=commitments,
        review=review_of(agreement, today),
        versions=list(agreement.versions.select_related("by")),
        roles=list(agreement.roles.all()),
        documents=list(agreement.documents.defer("content"))
        if permissions.can_read_documents(viewer, agreement.partner)
        else [],
    )


def document_for(viewer: Member | None, document_id: int) -> Document:
    """A document's file, for office holders and the partner's own representatives."""
    found = Document.objects.select_related("agreement__partner").filter(pk=document_id).first()
    if found is None:
        raise NotFound(f"No document {document_id}.")
    if not permissions.can_read_documents(viewer, found.agreement.partner):
        raise Forbidden("Only office holders and the partner's representatives read documents.")
    return found


# -- revenue diversification -------------------------------------------------------------------

PERIODS = ("year", "quarter")


@dataclass(frozen=True)
class RevenueLine:
    """One source's income (a partner, or a partner type) in each period and in total."""

    key: str  # the partner's slug or the type's value
    name: str
    kind_label: str  # the partner's type (for a type line, its own label)
    amounts: tuple[int, ...]  # minor units, one per period
    total: int
    share: Fraction  # of all partner income


@dataclass(frozen=True)
class Revenue:
    """The community's income from partners (money they paid against financial
    commitments) by partner and by type over time, and its dependence on the largest
    source. About organisations only: nothing here is about a member."""

    currency: str
    by: str  # "year" or "quarter"
    periods: tuple[str, ...]
    partners: list[RevenueLine]
    kinds: list[RevenueLine]
    totals: tuple[int, ...]  # per period
    total: int
    concentration: ps.Concentration  # over partners (keyed by slug)
    largest_name: str | None
    threshold: Fraction

    @property
    def warning(self) -> bool:
        """The largest source's share exceeds the configured threshold."""
        return self.total > 0 and self.concentration.largest_share > self.threshold

    @property
    def effective_sources(self) -> Fraction | None:
        return self.concentration.effective_sources

    def money(self, minor: int) -> str:
        return format_amount(minor, self.currency)

    @property
    def columns(self) -> tuple[str, ...]:
        return ("section", "source", "partner_type", *self.periods, "total", "share")

    def _cells(self, section: str, line: RevenueLine) -> tuple[str, ...]:
        return (
            section,
            line.name,
            line.kind_label,
            *(self.money(a) for a in line.amounts),
            self.money(line.total),
            percent(line.share),
        )

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """The table as the page shows it, row by row (and as the CSV exports it)."""
        rows = [self._cells("partner", line) for line in self.partners]
        rows += [self._cells("type", line) for line in self.kinds]
        if self.total:
            rows.append(
                (
                    "total",
                    "All partners",
                    "",
                    *(self.money(a) for a in self.totals),
                    self.money(self.total),
                    percent(Fraction(1)),
                )
            )
        return rows


def _period(day: date, by: str) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if by == "quarter" else str(day.year)


def _period_range(first: date, last: date, by: str) -> tuple[str, ...]:
    if by == "year":
        return tuple(str(y) for y in range(first.year, last.year + 1))
    start = first.year * 4 + (first.month - 1) // 3
    end = last.year * 4 + (last.month - 1) // 3
    return tuple(f"{q // 4}-Q{q % 4 + 1}" for q in range(start, end + 1))


def revenue(by: str = "year") -> Revenue:
    """Partner income by partner and by partner type per year (or quarter), with totals and
    the concentration of income over partners. Income is money partners paid against their
    financial commitments, in the community's currency, as the treasurer recorded it."""
    if by not in PERIODS:
        raise InvalidInput(f"{by[:40]!r} is not a period ({', '.join(PERIODS)}).")
    currency = settings.ACCORD_CURRENCY
    paid = list(
        Fulfilment.objects.filter(
            commitment__party=Side.PARTNER,
            commitment__kind=CommitmentKind.FINANCIAL,
            commitment__currency=currency,
            amount__isnull=False,
        )
        .select_related("commitment__agreement__partner")
        .order_by("on", "pk")
    )
    periods = _period_range(paid[0].on, paid[-1].on, by) if paid else ()
    column = {p: i for i, p in enumerate(periods)}
    partners: dict[str, Partner] = {}
    by_partner: dict[str, list[int]] = {}
    for f in paid:
        partner = f.commitment.agreement.partner
        partners[partner.slug] = partner
        amounts = by_partner.setdefault(partner.slug, [0] * len(periods))
        amounts[column[_period(f.on, by)]] += f.amount or 0
    total = sum(sum(a) for a in by_partner.values())

    def share(amount: int) -> Fraction:
        return Fraction(amount, total) if total else Fraction(0)

    partner_lines = sorted(
        (
            RevenueLine(
                slug,
                partners[slug].name,
                partners[slug].get_kind_display(),
                tuple(a),
                sum(a),
                share(sum(a)),
            )
            for slug, a in by_partner.items()
        ),
        key=lambda line: (-line.total, line.name),
    )
    by_kind: dict[str, list[int]] = {}
    for slug, a in by_partner.items():
        kind_amounts = by_kind.setdefault(partners[slug].kind, [0] * len(periods))
        for i, v in enumerate(a):
            kind_amounts[i] += v
    kind_lines = sorted(
        (
            RevenueLine(
                kind,
                PartnerKind(kind).label,
                PartnerKind(kind).label,
                tuple(a),
                sum(a),
                share(sum(a)),
            )
            for kind, a in by_kind.items()
        ),
        key=lambda line: (-line.total, line.name),
    )
    measured = ps.concentration({slug: sum(a) for slug, a in by_partner.items()})
    return Revenue(
        currency=currency,
        by=by,
        periods=periods,
        partners=partner_lines,
        kinds=kind_lines,
        totals=tuple(sum(a[i] for a in by_partner.values()) for i in range(len(periods))),
        total=total,
        concentration=measured,
        largest_name=partners[measured.largest].name if measured.largest else None,
        threshold=settings.ACCORD_DEPENDENCE_WARNING,
    )


# -- the partnership page's forms and its registers' exports -----------------------------------


@dataclass(frozen=True)
class BodyForms:
    """Which of the body's and the registers' forms `viewer` gets on a partnership page:
    only those whose service would let them act (the services still decide every post).
    The body stops changing once the agreement has ended; its registers do not."""

    ended: bool
    shape: bool  # goals, commitments, the review cadence, amendments, roles, documents
    reading_goals: list[Goal]
    fulfil_commitments: list[Commitment]
    money_fulfilments: bool  # some of them are financial: the form asks for an amount
    add_risk: bool
    editable_risks: frozenset[int]
    disclose: bool
    has_open_disclosure: bool
    closable_disclosures: frozenset[int]
    parties: list[tuple[str, str]]
    commitment_kinds: list[tuple[str, str]]
    risk_categories: list[str]
    risk_statuses: list[str]
    ratings: tuple[int, ...]
    currency: str
    accepted: str  # the file types a document may be, for the upload's `accept`


def body_forms(viewer: Member | None, sections: Sections) -> BodyForms:
    """The forms of the page's body and registers this reader may use, read from the
    sections already loaded (a few permission checks, no more rows)."""
    agreement, partner = sections.body.agreement, sections.body.agreement.partner
    ended = agreement.status == ps.Status.ENDED
    shape = not ended and permissions.can_shape_agreement(viewer)
    may_fulfil = {
        financial: not ended
        and permissions.can_record_fulfilment(viewer, partner, financial=financial)
        for financial in (True, False)
    }
    fulfil = [
        c.commitment
        for c in sections.body.commitments
        if c.commitment.done_at is None
        and may_fulfil[c.commitment.kind == CommitmentKind.FINANCIAL]
    ]
    steward = permissions.can_manage_risks(viewer)
    risks = sections.registers.risks or []
    owner = viewer.pk if viewer is not None and holds_office(viewer) else None
    editable = {
        line.risk.pk
        for line in risks
        if steward or (owner is not None and line.risk.owner_id == owner)
    }
    disclosures = [line.disclosure for line in sections.registers.disclosures]
    mine_open = viewer is not None and any(
        d.is_open and d.discloser_id == viewer.pk for d in disclosures
    )
    return BodyForms(
        ended=ended,
        shape=shape,
        reading_goals=[g.goal for g in sections.body.goals]
        if not ended and permissions.can_record_reading(viewer, partner)
        else [],
        fulfil_commitments=fulfil,
        money_fulfilments=any(c.kind == CommitmentKind.FINANCIAL for c in fulfil),
        add_risk=steward,
        editable_risks=frozenset(editable),
        disclose=permissions.can_disclose(viewer) and not mine_open,
        has_open_disclosure=mine_open,
        closable_disclosures=frozenset(
            d.pk
            for d in disclosures
            if d.is_open and permissions.can_close_disclosure(viewer, d.discloser_id)
        ),
        parties=list(Side.choices),
        commitment_kinds=list(CommitmentKind.choices),
        risk_categories=[c.value for c in rs.Category],
        risk_statuses=[s.value for s in rs.RiskStatus],
        ratings=(1, 2, 3, 4, 5),
        currency=settings.ACCORD_CURRENCY,
        accepted=",".join(f".{ext}" for ext in ACCEPTED),
    )


RISK_COLUMNS = (
    "id",
    "title",
    "category",
    "likelihood",
    "impact",
    "severity",
    "band",
    "mitigation",
    "owner",
    "status",
    "raised_on",
    "updated_on",
)


def risk_rows(viewer: Member | None, agreement_id: int) -> list[tuple[object, ...]]:
    """A partnership's risk register as the page shows it, one row a risk in its order:
    for office holders and the partner's own representatives (anyone else: Forbidden)."""
    return [
        (
            line.risk.pk,
            line.risk.title,
            line.risk.category,
            line.risk.likelihood,
            line.risk.impact,
            line.severity,
            line.band,
            line.risk.mitigation,
            line.owner or line.risk.owner_label,
            line.risk.status,
            timezone.localdate(line.risk.raised_at).isoformat(),
            timezone.localdate(line.risk.updated_at).isoformat(),
        )
        for line in visible_risks(viewer, agreement_id)
    ]


DISCLOSURE_COLUMNS = (
    "id",
    "discloser",
    "office",
    "interest",
    "declared_on",
    "status",
    "closed_on",
    "closed_reason",
)


def disclosure_rows(agreement_id: int) -> list[tuple[object, ...]]:
    """A partnership's declared interests as the page shows them (public): the discloser
    by handle while they hold an office, else empty."""
    return [
        (
            line.disclosure.pk,
            line.discloser or "",
            line.role,
            line.interest,
            timezone.localdate(line.disclosure.declared_at).isoformat(),
            "open" if line.disclosure.is_open else "closed",
            ""
            if line.disclosure.closed_at is None
            else timezone.localdate(line.disclosure.closed_at).isoformat(),
            line.disclosure.closed_reason,
        )
        for line in disclosures_of(agreement_id)
    ]


OFFERING_COLUMNS = (
    "id",
    "partner",
    "kind",
    "title",
    "description",
    "eligibility",
    "stated_value",
    "currency",
    "status",
    "offered_on",
    "closed_on",
)


def offering_rows() -> list[tuple[object, ...]]:
    """Every offering, in the list's order (open first, newest first): the list has no
    filters, so its export is all of it."""
    return [
        (
            o.pk,
            o.partner.name,
            o.get_kind_display(),
            o.title,
            o.description,
            o.eligibility,
            o.stated_value,
            o.currency,
            "open" if o.is_open else "closed",
            timezone.localdate(o.created_at).isoformat(),
            "" if o.closed_at is None else timezone.localdate(o.closed_at).isoformat(),
        )
        for o in Offering.objects.select_related("partner")
    ]


# -- partner contacts --------------------------------------------------------------------------


def contacts_of(viewer: Member | None, slug: str) -> list[PartnerContact]:
    """A partner's contacts (its staff), for office holders and its own representatives;
    anyone else, another partner's representatives included, is refused."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound(f"No partner {slug!r}.")
    if not permissions.can_see_partner_contacts(viewer, partner):
        raise Forbidden("Only office holders and the partner's representatives see its contacts.")
    return list(partner.contacts.all())
