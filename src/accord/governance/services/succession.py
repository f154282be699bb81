"""Writes about positions, calls for volunteers, succession plans and the institutional
memory: one function per action.

Creating a position, recording a term, and opening or closing a call are acts of office,
named in the ledger by the steward's handle; a term names its holder by handle, as an
office holder acting in office. Entries hold ids, kinds, counts and dates: titles, asks,
notes and reasons stay off the ledger (a reason as a salted hash). Answering a call and
writing a memory entry are members' own acts and stay out of it; so do the plan's
contents, which name members who hold no office yet.
"""

from django.db import transaction
from django.utils import timezone

from accord.domain import succession as rules
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.text import required
from accord.governance import succession_permissions as can
from accord.governance.models import (
    CallAnswer,
    CallStatus,
    Decision,
    HandoverItem,
    MemoryEntry,
    PlanPerson,
    Position,
    PositionTerm,
    VolunteerCall,
)
from accord.governance.permissions import is_inside
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    HandoverItemIn,
    HandoverTickIn,
    HideIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
    TransferNotesIn,
)
from accord.ledger import services as ledger
from accord.partners.models import Agreement
from accord.people.models import Group, Member, SiteRole


def _subject(position: Position) -> str:
    return f"position:{position.pk}"


def _position(position_id: int, *, lock: bool = False) -> Position:
    rows = Position.objects.select_for_update(of=("self",)) if lock else Position.objects
    found = rows.select_related("group").filter(pk=position_id).first()
    if found is None:
        raise NotFound(f"No position {position_id}.")
    return found


def _stewards_only(actor: Member, what: str) -> None:
    if not can.can_manage_positions(actor):
        raise Forbidden(f"Only stewards {what}.")


def _insider(handle: str) -> Member:
    """A member (not a partner's representative, not erased) by public handle."""
    found = (
        Member.objects.filter(pseudonym=handle.strip(), erased_at__isnull=True)
        .exclude(role=SiteRole.PARTNER_REP)
        .first()
    )
    if found is None:
        raise InvalidInput(f"No member {handle!r}.")
    return found


def create_position(actor: Member, data: PositionIn) -> Position:
    """A steward creates an office (chair, treasurer, a committee seat) of the community or
    of a group, with its seats, term length and consecutive-term limit."""
    _stewards_only(actor, "create positions")
    title = required(data.title, "The title is empty: name the position.")
    group = None
    if data.group:
        group = Group.objects.filter(slug=data.group, archived_at__isnull=True).first()
        if group is None:
            raise InvalidInput(f"No group {data.group!r}.")
    with transaction.atomic(durable=True):
        position = Position.objects.create(
            title=title,
            group=group,
            description=data.description.strip(),
            seats=data.seats,
            term_months=data.term_months,
            term_limit=data.term_limit,
        )
        ledger.append(
            "position.created",
            actor.pseudonym,
            _subject(position),
            {
                "title_sha256": ledger.note(title),
                "scope": f"group:{group.slug}" if group else "community",
                "seats": position.seats,
                "term_months": position.term_months,
                "term_limit": position.term_limit,
            },
        )
    return position


def record_position_term(actor: Member, position_id: int, data: PositionTermIn) -> PositionTerm:
    """A steward records a member's term in a position. Refused: an end before the start,
    a term overlapping the holder's own, more holders than seats on any day, or a run of
    consecutive terms beyond the position's limit."""
    _stewards_only(actor, "record terms")
    with transaction.atomic(durable=True):
        position = _position(position_id, lock=True)  # one term is recorded at a time
        member = _insider(data.member)
        terms = list(position.terms.values_list("member_id", "start", "end"))
        refusal = rules.term_refusal(
            new=(data.start, data.end),
            others=[(s, e) for _, s, e in terms],
            own=[(s, e) for m, s, e in terms if m == member.pk],
            seats=position.seats,
            term_limit=position.term_limit,
        )
        if refusal is not None:
            raise Conflict(refusal) if data.end >= data.start else InvalidInput(refusal)
        term = PositionTerm.objects.create(
            position=position, member=member, start=data.start, end=data.end
        )
        ledger.append(
            "position.term_recorded",
            actor.pseudonym,
            _subject(position),
            {
                "holder": member.pseudonym,
                "start": data.start.isoformat(),
                "end": data.end.isoformat(),
            },
        )
    return term


# -- the succession plan ------------------------------------------------------------------


def _plan_of(actor: Member, position_id: int) -> Position:
    position = _position(position_id, lock=True)
    if not can.can_keep_plan(actor, position, timezone.localdate()):
        raise Forbidden("Only stewards and the position's holders keep its succession plan.")
    return position


def add_to_plan(actor: Member, position_id: int, data: PlanPersonIn) -> PlanPerson:
    """Name a member in a position's succession plan, as successor candidate or shadow."""
    with transaction.atomic(durable=True):
        position = _plan_of(actor, position_id)
        member = _insider(data.member)
        if position.plan_people.filter(member=member).exists():
            raise Conflict("They are already named in this plan.")
        return PlanPerson.objects.create(position=position, member=member, role=data.role)


def remove_from_plan(actor: Member, position_id: int, person_id: int) -> None:
    """Take a member off a position's succession plan."""
    with transaction.atomic(durable=True):
        position = _plan_of(actor, position_id)
        gone, _ = PlanPerson.objects.filter(position=position, pk=person_id).delete()
        if not gone:
            raise NotFound(f"No one numbered {person_id} in this plan.")


def add_handover_item(actor: Member, position_id: int, data: HandoverItemIn) -> HandoverItem:
    """Add a step to a position's handover checklist."""
    text = required(data.text, "The step is empty: say what is to be handed over.")
    with transaction.atomic(durable=True):
        position = _plan_of(actor, position_id)
        return HandoverItem.objects.create(position=position, text=text)


def tick_handover_item(
    actor: Member, position_id: int, item_id: int, data: HandoverTickIn
) -> HandoverItem:
    """Mark a handover step done, or not done again."""
    with transaction.atomic(durable=True):
        position = _plan_of(actor, position_id)
        item = HandoverItem.objects.filter(position=position, pk=item_id).first()
        if item is None:
            raise NotFound(f"No step {item_id} in this checklist.")
        item.done = data.done
        item.save(update_fields=["done"])
    return item


def write_transfer_notes(actor: Member, position_id: int, data: TransferNotesIn) -> Position:
    """Replace a position's knowledge-transfer notes (what a successor needs to know)."""
    with transaction.atomic(durable=True):
        position = _plan_of(actor, position_id)
        position.transfer_notes = data.notes.strip()
        position.save(update_fields=["transfer_notes"])
    return position


# -- calls for volunteers -----------------------------------------------------------------


def _call(call_id: int) -> VolunteerCall:
    found = (
        VolunteerCall.objects.select_for_update(of=("self",))
        .select_related("position")
        .filter(pk=call_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No call {call_id}.")
    return found


def open_call(actor: Member, data: CallIn) -> VolunteerCall:
    """A steward calls for volunteers for a position: what is asked for, the backgrounds
    the body aims to draw on, and the last day to answer."""
    _stewards_only(actor, "open calls for volunteers")
    asks = required(data.asks, "Say who is asked for and what it involves.")
    labels = rules.clean_labels(data.backgrounds)
    problems = rules.label_problems(labels)
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    if data.closes_on < timezone.localdate():
        raise InvalidInput("The last day to answer must be today or later.")
    with transaction.atomic(durable=True):
        position = _position(data.position, lock=True)
        call = VolunteerCall.objects.create(
            position=position, asks=asks, backgrounds=list(labels), closes_on=data.closes_on
        )
        ledger.append(
            "call.opened",
            actor.pseudonym,
            _subject(position),
            {"call": call.pk, "backgrounds": len(labels), "closes_on": data.closes_on.isoformat()},
        )
    return call


def close_call(actor: Member, call_id: int) -> VolunteerCall:
    """A steward closes a call; the ledger keeps how many answered (a count, no one)."""
    _stewards_only(actor, "close calls for volunteers")
    with transaction.atomic(durable=True):
        call = _call(call_id)
        if call.status == CallStatus.CLOSED:
            raise Conflict("This call is already closed.")
        call.status, call.closed_at = CallStatus.CLOSED, timezone.now()
        call.save(update_fields=["status", "closed_at"])
        answered = call.answers.filter(withdrawn_at__isnull=True).count()
        ledger.append(
            "call.closed",
            actor.pseudonym,
            _subject(call.position),
            {"call": call.pk, "answered": answered},
        )
    return call


def _live(call: VolunteerCall) -> None:
    if call.status != CallStatus.OPEN or call.closes_on < timezone.localdate():
        raise Conflict("This call is closed.")


def answer_call(actor: Member, call_id: int, data: AnswerIn) -> CallAnswer:
    """A member volunteers, describing themself (if they wish) by the call's backgrounds.
    Answering again replaces their answer."""
    if not can.can_answer(actor):
        raise Forbidden("Members of the community answer calls for volunteers.")
    with transaction.atomic(durable=True):
        call = _call(call_id)
        _live(call)
        labels = list(rules.clean_labels(data.backgrounds))
        unknown = [label for label in labels if label not in call.backgrounds]
        if unknown:
            raise InvalidInput(f"Not one of this call's backgrounds: {unknown[0]!r}.")
        answer, _ = CallAnswer.objects.update_or_create(
            call=call,
            member=actor,
            withdrawn_at=None,
            defaults={"backgrounds": labels, "note": data.note.strip()},
        )
    return answer


def withdraw_answer(actor: Member, call_id: int) -> CallAnswer:
    """A member withdraws their answer while the call is open."""
    with transaction.atomic(durable=True):
        call = _call(call_id)
        _live(call)
        answer = CallAnswer.objects.filter(call=call, member=actor, withdrawn_at=None).first()
        if answer is None:
            raise NotFound("You have no answer to this call to withdraw.")
        answer.withdrawn_at = timezone.now()
        answer.save(update_fields=["withdrawn_at"])
    return answer


# -- institutional memory -----------------------------------------------------------------


def add_memory(actor: Member, data: MemoryIn) -> MemoryEntry:
    """A member adds a lesson, decision, successful strategy or cautionary tale to the
    institutional memory, linked to the decision or partnership it came from."""
    if not is_inside(actor):
        raise Forbidden("Members of the community write the institutional memory.")
    title = required(data.title, "The title is empty: name what is remembered.")
    body = required(data.body, "The entry is empty: write what is to be remembered.")
    decision = agreement = None
    if data.decision is not None:
        decision = Decision.objects.exclude(status="draft").filter(pk=data.decision).first()
        if decision is None:
            raise InvalidInput(f"No decision {data.decision}.")
    if data.agreement is not None:
        agreement = Agreement.objects.filter(pk=data.agreement).first()
        if agreement is None:
            raise InvalidInput(f"No partnership {data.agreement}.")
    with transaction.atomic(durable=True):
        return MemoryEntry.objects.create(
            kind=data.kind,
            title=title,
            body=body,
            decision=decision,
            agreement=agreement,
            author=actor,
        )


def hide_memory(actor: Member, entry_id: int, data: HideIn) -> MemoryEntry:
    """A steward hides a memory entry, with a reason (kept off the ledger as a hash)."""
    if not can.can_hide_memory(actor):
        raise Forbidden("Only stewards hide memory entries.")
    reason = required(data.reason, "Say why the entry is hidden.")
    with transaction.atomic(durable=True):
        entry = MemoryEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise NotFound(f"No memory entry {entry_id}.")
        if entry.hidden_at is not None:
            raise Conflict("This entry is already hidden.")
        entry.hidden_at, entry.hidden_reason = timezone.now(), reason
        entry.save(update_fields=["hidden_at", "hidden_reason"])
        ledger.append(
            "memory.hidden",
            actor.pseudonym,
            f"memory:{entry.pk}",
            {"kind": entry.kind, "reason_sha256": ledger.note(reason)},
        )
    return entry
