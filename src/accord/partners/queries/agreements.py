"""Agreements, their list and their page. An agreement's evaluation is read here for the
pages and the API."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from accord.domain import partnerships as ps
from accord.domain.errors import NotFound
from accord.partners import permissions
from accord.partners.models import Agreement, AgreementChange, Partner, PartnerKind, Reason
from accord.partners.queries.reciprocity import reciprocities
from accord.people.models import Member


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
