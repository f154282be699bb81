"""Revenue diversification: how much of the money received comes from each partner."""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.conf import settings

from accord.domain import partnerships as ps
from accord.domain.errors import InvalidInput
from accord.domain.money import format_amount
from accord.partners.models import (
    CommitmentKind,
    Fulfilment,
    Partner,
    PartnerKind,
    PoolFunding,
    Side,
)
from accord.web.templatetags.accord_format import percent

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
    financial commitments and money they gave straight into pools, in the community's
    currency, as the treasurer recorded it."""
    if by not in PERIODS:
        raise InvalidInput(f"{by[:40]!r} is not a period ({', '.join(PERIODS)}).")
    currency = settings.ACCORD_CURRENCY
    fulfilments = Fulfilment.objects.filter(
        commitment__party=Side.PARTNER,
        commitment__kind=CommitmentKind.FINANCIAL,
        commitment__currency=currency,
        amount__isnull=False,
    ).select_related("commitment__agreement__partner")
    fundings = PoolFunding.objects.filter(currency=currency).select_related("agreement__partner")
    # (day, partner, amount): money paid against commitments and money given straight into
    # pools; each lands once (fund_pool from the community fund moves money already counted).
    paid = sorted(
        [(f.on, f.commitment.agreement.partner, f.amount or 0) for f in fulfilments]
        + [(g.on, g.agreement.partner, g.amount) for g in fundings],
        key=lambda row: row[0],
    )
    periods = _period_range(paid[0][0], paid[-1][0], by) if paid else ()
    column = {p: i for i, p in enumerate(periods)}
    partners: dict[str, Partner] = {}
    by_partner: dict[str, list[int]] = {}
    for on, partner, amount in paid:
        partners[partner.slug] = partner
        amounts = by_partner.setdefault(partner.slug, [0] * len(periods))
        amounts[column[_period(on, by)]] += amount
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
