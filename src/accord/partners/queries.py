"""Reads about partners and their agreements. Partner representatives see only members who
said yes; an agreement's evaluation is read here for the pages and the API."""

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import QuerySet

from accord.domain import partnerships as ps
from accord.domain import risks as rs
from accord.domain.disclosure import Cell, Hidden, suppress_counts
from accord.domain.errors import Forbidden, NotFound
from accord.partners import permissions
from accord.partners.models import Agreement, Disclosure, Partner, Representative, Risk
from accord.people.models import Member, SiteRole
from accord.people.visibility import Audience, Sight, shown_to_audience


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


def manage_page(viewer: Member | None, slug: str) -> ManagePage:
    """Stewards only; anyone else is told there is no such page."""
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None or not permissions.can_manage_partners(viewer):
        raise NotFound("No such page.")
    reps = list(partner.representatives.select_related("member").order_by("since", "pk"))
    return ManagePage(partner, reps)


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

    @property
    def too_few(self) -> bool:
        """The community has fewer than 10 members, so its size is not given."""
        return isinstance(self.member_count, Hidden) and self.member_count.small

    @property
    def size_withheld(self) -> bool:
        """The size is hidden because, less the members named here, it would be small."""
        return isinstance(self.member_count, Hidden) and not self.member_count.small


def partner_view(partner: Partner) -> PartnerView:
    """What a partner may see: totals, profiles shared with partners, contactable members.

    The members named on the page are counted by anyone who reads it, so the total less
    them would say how many did not consent: the total goes through `suppress_counts` with
    the named members as a known cell, and is hidden when that difference is 1 to 9 (or
    the community has fewer than 10 members)."""
    members = Member.objects.filter(erased_at__isnull=True)
    shared_profiles = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.PROFILE).order_by("display_name")
    )
    contactable = list(
        shown_to_audience(Audience.PARTNERS, members, Sight.CONTACT)
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
