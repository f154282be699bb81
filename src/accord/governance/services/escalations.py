"""Writes about escalation paths and concerns: one function per action.

Raising a concern is a member's own act: it stays out of the ledger, so the ledger never
says who raised what, or when. What handlers do (acknowledge, escalate, resolve) is an act
of office, named in the ledger by the handler's handle; a concern that climbs because its
deadline passed is named as the system's. Entries hold the concern's number, kind, ranks
and dates, never its words or its raiser. Setting up a ladder is a steward's or a group
lead's act, recorded with the level's rank, response time and how many handle it.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accord.domain import escalation
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.text import required
from accord.governance import escalation_permissions as permissions
from accord.governance import permissions as decision_permissions
from accord.governance.models import (
    Concern,
    ConcernEvent,
    ConcernKind,
    ConcernStatus,
    Decision,
    EscalationLevel,
    EventKind,
)
from accord.governance.schemas import ConcernIn, LevelIn, ResolutionIn
from accord.ledger import services as ledger
from accord.partners.models import Agreement
from accord.people.models import Group, Member, SiteRole

LIVE = (ConcernStatus.OPEN, ConcernStatus.ACKNOWLEDGED)


def _subject(concern: Concern) -> str:
    return f"concern:{concern.pk}"


def _scope(group: Group | None) -> str:
    return f"group:{group.slug}" if group else "community"


def _group(slug: str | None) -> Group | None:
    if slug is None:
        return None
    group = Group.objects.filter(slug=slug, archived_at__isnull=True).first()
    if group is None:
        raise NotFound(f"No group {slug!r}.")
    return group


def _handlers(handles: list[str]) -> list[Member]:
    wanted = list(dict.fromkeys(h.strip() for h in handles if h.strip()))
    if not wanted:
        raise InvalidInput("Name at least one handler (by their handle).")
    found = {
        m.pseudonym: m
        for m in Member.objects.filter(pseudonym__in=wanted, erased_at__isnull=True).exclude(
            role=SiteRole.PARTNER_REP
        )
    }
    missing = [h for h in wanted if h not in found]
    if missing:
        raise NotFound(f"No member with the handle {missing[0]!r}.")
    return [found[h] for h in wanted]


def set_escalation_level(actor: Member, data: LevelIn) -> EscalationLevel:
    """Set up or change one level of the community's ladder or a group's: its name,
    handlers and response time. A level's rank follows the one below it (no gaps).
    Concerns already waiting keep their deadline; the new handlers take them over."""
    group = _group(data.group)
    if not permissions.can_set_levels(actor, group):
        who = "Stewards and the group's leads" if group else "Stewards"
        raise Forbidden(f"{who} set up this escalation path.")
    name = required(data.name, "The level's name is empty: write something.")
    handlers = _handlers(data.handlers)
    with transaction.atomic(durable=True):
        ladder = EscalationLevel.objects.select_for_update().filter(group=group)
        ranks = set(ladder.values_list("rank", flat=True))
        if data.rank not in ranks and data.rank - 1 not in ranks | {0}:
            raise InvalidInput(f"Set up level {data.rank - 1} first: levels have no gaps.")
        level, _ = EscalationLevel.objects.update_or_create(
            group=group,
            rank=data.rank,
            defaults={"name": name, "response_hours": data.response_hours},
        )
        level.handlers.set(handlers)
        ledger.append(
            "escalation.level_set",
            actor.pseudonym,
            f"escalation:{_scope(group)}",
            {
                "rank": level.rank,
                "response_hours": level.response_hours,
                "handlers": len(handlers),
            },
        )
    return level


def _first_level(group: Group | None) -> EscalationLevel:
    """The first level of the group's ladder, or of the community's if it has none."""
    for scope in ([group] if group else []) + [None]:
        first = EscalationLevel.objects.filter(group=scope).order_by("rank").first()
        if first is not None:
            return first
    raise Conflict("No escalation path is set up yet: ask a steward to set one up.")


def _about(actor: Member, data: ConcernIn) -> tuple[int | None, int | None]:
    if data.agreement is not None:
        if data.kind != ConcernKind.PARTNERSHIP:
            raise InvalidInput("Only a concern about a partnership names an agreement.")
        if not Agreement.objects.filter(pk=data.agreement).exists():
            raise NotFound(f"No agreement {data.agreement}.")
    if data.decision is not None:
        if data.kind != ConcernKind.DECISION:
            raise InvalidInput("Only a concern about a decision names a decision.")
        found = Decision.objects.filter(pk=data.decision).first()
        if found is None or not decision_permissions.can_read(actor, found):
            raise NotFound(f"No decision {data.decision}.")
    return data.agreement, data.decision


def raise_concern(actor: Member, data: ConcernIn) -> Concern:
    """A member raises a concern; it starts at the first level of the group's ladder (the
    community's when the group has none), due by that level's response time."""
    if not permissions.can_raise(actor):
        raise Forbidden("Members of the community raise concerns here.")
    summary = required(data.summary, "The summary is empty: say in a line what it is about.")
    body = required(data.body, "The concern is empty: say what happened.")
    group = _group(data.group)
    agreement, decision = _about(actor, data)
    now = timezone.now()
    with transaction.atomic(durable=True):
        level = _first_level(group)
        deadline = escalation.deadline_after(now, level.response_hours)
        concern = Concern.objects.create(
            raiser=actor,
            group=group,
            kind=data.kind,
            agreement_id=agreement,
            decision_id=decision,
            summary=summary,
            body=body,
            anonymous=data.anonymous,
            level=level,
            deadline=deadline,
            raised_at=now,
        )
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.RAISED, level=level, at=now, deadline=deadline
        )
    return concern


def _locked(concern_id: int) -> Concern:
    found = (
        Concern.objects.select_for_update(of=("self",))
        .select_related("level")
        .filter(pk=concern_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No concern {concern_id}.")
    return found


def _handled_by(actor: Member, concern_id: int, what: str) -> Concern:
    concern = _locked(concern_id)
    if not permissions.can_read(actor, concern):
        raise NotFound(f"No concern {concern_id}.")
    if not permissions.can_handle(actor, concern):
        raise Forbidden(f"Only the handlers of the level it is at {what} this concern.")
    if concern.status == ConcernStatus.RESOLVED:
        raise Conflict("This concern is resolved.")
    return concern


def acknowledge_concern(actor: Member, concern_id: int) -> Concern:
    """A handler tells the raiser someone has it. The clock keeps running: acknowledging
    does not stop it from climbing when its deadline passes."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        concern = _handled_by(actor, concern_id, "acknowledge")
        if concern.status == ConcernStatus.ACKNOWLEDGED:
            raise Conflict("This concern is already acknowledged at this level.")
        concern.status, concern.acknowledged_at = ConcernStatus.ACKNOWLEDGED, now
        concern.save(update_fields=["status", "acknowledged_at"])
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.ACKNOWLEDGED, level=concern.level, at=now
        )
        ledger.append(
            "concern.acknowledged",
            actor.pseudonym,
            _subject(concern),
            {"level": concern.level.rank, "at": ledger.format_at(now)},
        )
    return concern


def _move(concern: Concern, level: EscalationLevel, at: datetime, kind: EventKind) -> None:
    concern.level = level
    concern.deadline = escalation.deadline_after(at, level.response_hours)
    concern.status, concern.acknowledged_at, concern.overdue = ConcernStatus.OPEN, None, False
    concern.save(update_fields=["level", "deadline", "status", "acknowledged_at", "overdue"])
    ConcernEvent.objects.create(
        concern=concern, kind=kind, level=level, at=at, deadline=concern.deadline
    )


def _next_level(concern: Concern) -> EscalationLevel | None:
    return concern.level.ladder().filter(rank__gt=concern.level.rank).order_by("rank").first()


def escalate_concern(actor: Member, concern_id: int) -> Concern:
    """A handler passes the concern up to the next level, whose clock starts now."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        concern = _handled_by(actor, concern_id, "escalate")
        was = concern.level.rank
        above = _next_level(concern)
        if above is None:
            raise Conflict("This concern is at the top level: there is nowhere to escalate it.")
        _move(concern, above, now, EventKind.ESCALATED)
        ledger.append(
            "concern.escalated",
            actor.pseudonym,
            _subject(concern),
            {"from": was, "to": above.rank, "by": "handler", "at": ledger.format_at(now)},
        )
    return concern


def resolve_concern(actor: Member, concern_id: int, data: ResolutionIn) -> Concern:
    """A handler resolves the concern with a written resolution the raiser reads."""
    text = required(data.resolution, "The resolution is empty: say what was done.")
    now = timezone.now()
    with transaction.atomic(durable=True):
        concern = _handled_by(actor, concern_id, "resolve")
        concern.status, concern.resolution, concern.resolved_at = (
            ConcernStatus.RESOLVED,
            text,
            now,
        )
        concern.save(update_fields=["status", "resolution", "resolved_at"])
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.RESOLVED, level=concern.level, at=now
        )
        ledger.append(
            "concern.resolved",
            actor.pseudonym,
            _subject(concern),
            {
                "level": concern.level.rank,
                "within_deadline": concern.within_deadline,
                "at": ledger.format_at(now),
            },
        )
    return concern


def _climb(concern: Concern, now: datetime) -> bool:
    """Move a concern past its deadline up its ladder (see `escalation.climb`); at the top,
    flag it overdue. Returns whether it changed."""
    if concern.status not in LIVE or concern.overdue or concern.deadline > now:
        return False
    ladder = list(concern.level.ladder())
    rungs = [escalation.Rung(lv.rank, lv.response_hours) for lv in ladder]
    by_rank = {lv.rank: lv for lv in ladder}
    for step in escalation.climb(rungs, concern.level.rank, concern.deadline, now):
        was = concern.level.rank
        _move(concern, by_rank[step.rank], step.at, EventKind.DEADLINE)
        ledger.append(
            "concern.escalated",
            ledger.SYSTEM,
            _subject(concern),
            {"from": was, "to": step.rank, "by": "deadline", "at": ledger.format_at(step.at)},
        )
    if concern.deadline <= now:  # at the top, and its deadline has passed too
        concern.overdue = True
        concern.save(update_fields=["overdue"])
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.OVERDUE, level=concern.level, at=concern.deadline
        )
        ledger.append(
            "concern.overdue",
            ledger.SYSTEM,
            _subject(concern),
            {"level": concern.level.rank, "at": ledger.format_at(concern.deadline)},
        )
    return True


def escalate_overdue_concerns(now: datetime | None = None) -> int:
    """Escalate, by themselves, the concerns whose deadline has passed unanswered (flagging
    those at the top as overdue). Each in its own transaction; one resolved or moved in the
    meantime is left alone. Returns how many changed."""
    now = now or timezone.now()
    due = Concern.objects.filter(status__in=LIVE, overdue=False, deadline__lte=now)
    changed = 0
    for pk in due.order_by("deadline", "pk").values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            changed += _climb(_locked(pk), now)
    return changed
