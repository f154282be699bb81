"""An agreement's risk register and its conflicts-of-interest register."""

from dataclasses import dataclass

from accord.domain import risks as rs
from accord.domain.errors import Forbidden, NotFound
from accord.partners import permissions
from accord.partners.models import Agreement, Disclosure, Risk
from accord.people.models import Member, SiteRole

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
