"""Reads about positions, calls for volunteers and the institutional memory.

Holders are named as the leadership pages name group leads: only where the reader may see
their profile (`visibility.named_among`); otherwise a seat shows as held. The public sees
which positions are due to rotate and which have no successor, never who is in a plan. A
call shows how many answered and each background's count, every count of 1 to 9 withheld
(`domain.succession.published_counts`); its answers are seen by stewards, and each
answerer sees their own.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from accord.domain import succession as rules
from accord.domain.disclosure import Cell
from accord.domain.errors import Forbidden, NotFound
from accord.governance import succession_permissions as can
from accord.governance.models import (
    CallAnswer,
    CallStatus,
    Decision,
    HandoverItem,
    MemoryEntry,
    MemoryKind,
    PlanPerson,
    PlanRole,
    Position,
    PositionTerm,
    VolunteerCall,
)
from accord.partners.models import Agreement
from accord.people.models import Member
from accord.people.visibility import Sight, named_among

A_MEMBER = "a member"
ROTATION_WINDOW_DAYS = 90


@dataclass(frozen=True)
class PositionLine:
    """A position as anyone sees it: its holders today (named where the reader may see
    them), whether rotation is due, and whether it is at risk."""

    position: Position
    holders: list[str]
    filled: int
    rotation_due: list[str]  # per seat due: "limit" or "ending"
    at_risk: str
    has_successor: bool


def _name(member: Member, shown: set[int]) -> str:
    return member.display_name if member.pk in shown else A_MEMBER


def _lines(viewer: Member | None, positions: list[Position], today: date) -> list[PositionLine]:
    current = {p.pk: [t for t in p.terms.all() if t.start <= today <= t.end] for p in positions}
    ids = {t.member_id for terms in current.values() for t in terms}
    shown = named_among(viewer, ids, Sight.PROFILE)
    out = []
    for p in positions:
        terms = sorted(current[p.pk], key=lambda t: (t.start, t.pk))
        people = list(p.plan_people.all())
        successors = sum(1 for x in people if x.role == PlanRole.SUCCESSOR)
        due = []
        for t in terms:
            own = tuple((x.start, x.end) for x in p.terms.all() if x.member_id == t.member_id)
            why = rules.rotation_due(
                rules.Seat(t.member_id, own),
                term_limit=p.term_limit,
                today=today,
                window_days=ROTATION_WINDOW_DAYS,
            )
            if why:
                due.append(why)
        out.append(
            PositionLine(
                position=p,
                holders=[_name(t.member, shown) for t in terms],
                filled=len({t.member_id for t in terms}),
                rotation_due=due,
                at_risk=rules.at_risk(
                    seats=p.seats,
                    filled=len({t.member_id for t in terms}),
                    successors=successors,
                    shadows=len(people) - successors,
                )
                or "",
                has_successor=successors > 0,
            )
        )
    return out


def _positions(pk: int | None = None) -> "list[Position]":
    rows = Position.objects.filter(pk=pk) if pk is not None else Position.objects.all()
    return list(
        rows.select_related("group").prefetch_related(
            Prefetch("terms", queryset=PositionTerm.objects.select_related("member")),
            "plan_people",
        )
    )


@dataclass(frozen=True)
class PositionsPage:
    lines: list[PositionLine]
    due: list[PositionLine]
    at_risk: list[PositionLine]
    may_manage: bool


def positions_page(viewer: Member | None, *, today: date) -> PositionsPage:
    """Every position, those due to rotate, and those at risk (vacant or without anyone
    named to succeed)."""
    lines = _lines(viewer, _positions(), today)
    return PositionsPage(
        lines=lines,
        due=[ln for ln in lines if ln.rotation_due],
        at_risk=[ln for ln in lines if ln.at_risk],
        may_manage=can.can_manage_positions(viewer),
    )


@dataclass(frozen=True)
class Named:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class TermLine:
    id: int
    holder: str
    start: date
    end: date


@dataclass(frozen=True)
class PositionPage:
    line: PositionLine
    terms: list[TermLine]
    plan_shown: bool
    may_keep_plan: bool
    may_record: bool
    plan: list[Named] = field(default_factory=list)
    checklist: list[HandoverItem] = field(default_factory=list)
    calls: list[VolunteerCall] = field(default_factory=list)


def position_page(viewer: Member | None, position_id: int, *, today: date) -> PositionPage:
    """A position, its terms, and its succession plan for those who may read it."""
    found = _positions(position_id)
    if not found:
        raise NotFound(f"No position {position_id}.")
    position = found[0]
    line = _lines(viewer, [position], today)[0]
    terms = list(position.terms.all())
    shown = named_among(viewer, {t.member_id for t in terms}, Sight.PROFILE)
    plan_shown = can.can_read_plan(viewer, position, today)
    plan: list[Named] = []
    if plan_shown:
        people = list(PlanPerson.objects.filter(position=position).select_related("member"))
        # those who keep the plan see whom they named; the named see themselves
        keeper = can.can_keep_plan(viewer, position, today)
        seen = named_among(viewer, {x.member_id for x in people}, Sight.PROFILE)
        plan = [
            Named(
                x.pk,
                x.member.display_name if keeper or x.member_id in seen else A_MEMBER,
                x.get_role_display(),
            )
            for x in people
        ]
    return PositionPage(
        line=line,
        terms=[
            TermLine(t.pk, _name(t.member, shown), t.start, t.end)
            for t in sorted(terms, key=lambda t: (t.start, t.pk), reverse=True)
        ],
        plan_shown=plan_shown,
        may_keep_plan=can.can_keep_plan(viewer, position, today),
        may_record=can.can_manage_positions(viewer),
        plan=plan,
        checklist=list(position.checklist.all()) if plan_shown else [],
        calls=list(position.calls.filter(status=CallStatus.OPEN)),
    )


# -- calls --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallLine:
    call: VolunteerCall
    answered: Cell
    backgrounds: dict[str, Cell]
    is_open: bool


def _call_lines(calls: list[VolunteerCall], today: date) -> list[CallLine]:
    out = []
    for c in calls:
        live = [a.backgrounds for a in c.answers.all() if a.withdrawn_at is None]
        answered, cells = rules.published_counts(
            len(live), rules.background_counts(c.backgrounds, live)
        )
        is_open = c.status == CallStatus.OPEN and c.closes_on >= today
        out.append(CallLine(c, answered, cells, is_open))
    return out


def _calls(pk: int | None = None) -> "list[VolunteerCall]":
    rows = VolunteerCall.objects.filter(pk=pk) if pk is not None else VolunteerCall.objects.all()
    return list(rows.select_related("position", "position__group").prefetch_related("answers"))


def list_calls(*, today: date) -> list[CallLine]:
    """Every call, open ones first, with its published counts."""
    lines = _call_lines(_calls(), today)
    return sorted(lines, key=lambda ln: not ln.is_open)


@dataclass(frozen=True)
class AnswerLine:
    answer: CallAnswer
    member: str


@dataclass(frozen=True)
class CallPage:
    line: CallLine
    mine: CallAnswer | None
    answers: list[AnswerLine] | None  # stewards only
    may_answer: bool
    may_close: bool


def call_page(viewer: Member | None, call_id: int, *, today: date) -> CallPage:
    """A call with its published counts, the reader's own answer, and for stewards every
    answer (named: they run the call)."""
    found = _calls(call_id)
    if not found:
        raise NotFound(f"No call {call_id}.")
    line = _call_lines(found, today)[0]
    mine = None
    if viewer is not None:
        mine = CallAnswer.objects.filter(call_id=call_id, member=viewer, withdrawn_at=None).first()
    answers = None
    if can.can_read_answers(viewer):
        rows = CallAnswer.objects.filter(call_id=call_id).select_related("member")
        answers = [AnswerLine(a, f"{a.member.display_name} ({a.member.pseudonym})") for a in rows]
    return CallPage(
        line=line,
        mine=mine,
        answers=answers,
        may_answer=line.is_open and can.can_answer(viewer),
        may_close=line.call.status == CallStatus.OPEN and can.can_manage_positions(viewer),
    )


def position_choices() -> list[Position]:
    return list(Position.objects.select_related("group"))


# -- institutional memory -----------------------------------------------------------------


@dataclass(frozen=True)
class MemoryLine:
    entry: MemoryEntry
    author: str


def _memory_reader(viewer: Member | None) -> Member:
    if viewer is None or not can.can_read_memory(viewer):
        raise Forbidden("The institutional memory is read by the community's members.")
    return viewer


def _memory_lines(viewer: Member, entries: list[MemoryEntry]) -> list[MemoryLine]:
    shown = named_among(viewer, {e.author_id for e in entries if e.author_id}, Sight.PROFILE)
    return [
        MemoryLine(e, e.author.display_name if e.author and e.author_id in shown else A_MEMBER)
        for e in entries
    ]


def list_memory(
    viewer: Member | None,
    *,
    kind: str | None = None,
    decision: int | None = None,
    agreement: int | None = None,
) -> list[MemoryLine]:
    """Memory entries, newest first; hidden ones only for stewards."""
    reader = _memory_reader(viewer)
    rows = MemoryEntry.objects.select_related("author", "decision", "agreement")
    if not can.can_hide_memory(reader):
        rows = rows.filter(hidden_at__isnull=True)
    if kind in MemoryKind.values:
        rows = rows.filter(kind=kind)
    if decision is not None:
        rows = rows.filter(decision_id=decision)
    if agreement is not None:
        rows = rows.filter(agreement_id=agreement)
    return _memory_lines(reader, list(rows))


def recent_memory(viewer: Member | None, *, limit: int) -> list[MemoryEntry]:
    """The newest live entries' titles and kinds, for a member's home (which names no
    author); none for a reader who may not read the memory."""
    if viewer is None or not can.can_read_memory(viewer):
        return []
    rows = MemoryEntry.objects.filter(hidden_at__isnull=True).only("pk", "title", "kind")
    return list(rows[:limit])


def memory_for(
    viewer: Member | None, *, decision: int | None = None, agreement: int | None = None
) -> list[MemoryLine]:
    """The live entries linked to a decision or partnership, for its page; none for a
    reader who may not read the memory."""
    if viewer is None or not can.can_read_memory(viewer):
        return []
    rows = MemoryEntry.objects.filter(hidden_at__isnull=True).select_related("author")
    rows = rows.filter(Q(decision_id=decision) if decision else Q(agreement_id=agreement))
    return _memory_lines(viewer, list(rows[:10]))


def get_memory(viewer: Member | None, entry_id: int) -> MemoryLine:
    reader = _memory_reader(viewer)
    found = MemoryEntry.objects.select_related("author").filter(pk=entry_id).first()
    if found is None or (found.hidden_at and not can.can_hide_memory(reader)):
        raise NotFound(f"No memory entry {entry_id}.")
    return _memory_lines(reader, [found])[0]


def memory_links() -> tuple[list[Decision], list[Agreement]]:
    """What an entry may link to: decisions put to a vote, and partnerships."""
    decisions = list(Decision.objects.exclude(status="draft").order_by("-created_at")[:200])
    agreements = list(
        Agreement.objects.select_related("partner").order_by("partner__name", "title")
    )
    return decisions, agreements
