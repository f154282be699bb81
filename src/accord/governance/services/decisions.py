"""Writes about decisions: one function per action.

Proposing, voting and commenting are members' own acts: they stay out of the ledger (a
ballot in the ledger, even blinded, would tell when someone voted). Opening, closing and
recording the outcome are acts of office, named in the ledger by the handle of the steward
or group lead who ran them, with the decision's text only as salted hashes. Closing records
the tally and the electorate's size: counts, never a ballot or a voter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.contributions import services as contributions
from accord.domain import voting
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated, agreement_target, document_target, policy_target
from accord.domain.text import required
from accord.governance import permissions, queries
from accord.governance.models import (
    Ballot,
    Decision,
    DecisionComment,
    ElectorateEntry,
    ProposedChange,
    Status,
)
from accord.governance.schemas import DecisionCommentIn, DecisionIn, OutcomeIn, VoteIn
from accord.governance.services import rights
from accord.ledger import services as ledger
from accord.people.models import Group, Member


def _text(text: str, what: str) -> str:
    return required(text, f"{what} is empty: write something.")


def _subject(decision: Decision) -> str:
    return f"decision:{decision.pk}"


def _locked(decision_id: int) -> Decision:
    found = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=decision_id)
        .first()
    )
    if found is None:
        raise NotFound(f"No decision {decision_id}.")
    return found


def _seen(actor: Member, decision: Decision) -> None:
    """Refuse, as not found, a decision the actor may not even know of."""
    if not permissions.can_read(actor, decision):
        raise NotFound(f"No decision {decision.pk}.")


def _run_by(actor: Member, decision: Decision, what: str) -> None:
    _seen(actor, decision)
    if not permissions.can_run(actor, decision):
        who = "Only stewards and the group's leads" if decision.group else "Only stewards"
        raise Forbidden(f"{who} {what} this decision.")


def _scope_of(data: DecisionIn) -> Group | None:
    if data.group is None:
        return None
    group = Group.objects.filter(slug=data.group, archived_at__isnull=True).first()
    if group is None:
        raise NotFound(f"No group {data.group!r}.")
    return group


def _future(when: datetime, now: datetime) -> datetime:
    if timezone.is_naive(when):
        raise InvalidInput("The closing time needs a time zone (e.g. 2027-03-01T18:00+01:00).")
    if when <= now:
        raise InvalidInput("The closing time must be in the future.")
    return when


def propose_decision(actor: Member, data: DecisionIn) -> Decision:
    """A member drafts a decision for the whole community or for a group they belong to.
    Nothing is put to a vote until someone who runs it opens it. A decision that allows a
    gated action is put to the body the decision rights name, by consent, at their
    threshold and quorum, and names exactly what it decides."""
    gate = _gate(data) if data.action is not None else None
    if gate is not None:
        data = data.model_copy(
            update={"group": gate.group, "threshold": gate.threshold, "quorum": gate.quorum}
        )
    group = _scope_of(data)
    if not permissions.can_propose(actor, group):
        raise Forbidden("Members propose decisions for the community or for their own groups.")
    title, body = _text(data.title, "The title"), _text(data.body, "The proposal")
    threshold = voting.parse_share(data.threshold, "threshold")
    quorum = voting.parse_share(data.quorum, "quorum")
    options = [o.strip() for o in data.options]
    problems = voting.poll_problems(data.poll, options, threshold, quorum)
    if problems:
        raise InvalidInput("; ".join(problems).capitalize() + ".")
    closes_at = _future(data.closes_at, timezone.now())
    if data.subject is not None and not queries.agreement_exists(data.subject):
        raise NotFound(f"No agreement {data.subject}.")
    with transaction.atomic(durable=True):
        return Decision.objects.create(
            title=title,
            body=body,
            group=group,
            subject_id=data.subject,
            action=data.action.value if data.action else "",
            target=gate.target if gate else "",
            proposal=gate.proposal if gate else None,
            poll=data.poll.value,
            options=options,
            threshold=str(threshold),
            quorum=str(quorum),
            secret=data.secret,
            proposer=actor,
            closes_at=closes_at,
        )


@dataclass(frozen=True)
class _Gate:
    group: str | None
    threshold: str
    quorum: str
    target: str
    proposal: dict[str, Any] | None


def _gate(data: DecisionIn) -> _Gate:
    """The body, poll and target of a decision that allows `data.action`."""
    action = data.action
    assert action is not None  # noqa: S101 - the caller holds it
    right = rights.right_for(action)
    body = right.group.slug if right.group else None
    if data.group is not None and data.group != body:
        who = right.group.name if right.group else "the whole community"
        raise InvalidInput(f"{action.label} is decided by {who} (the decision rights).")
    if data.poll != voting.PollType.CONSENT:
        raise InvalidInput(f"{action.label} is decided by a consent proposal.")
    target, proposal = _WHAT[action](data)
    return _Gate(body, right.threshold, right.quorum, target, proposal)


Decided = tuple[str, dict[str, Any] | None]  # the target, and what carrying it out needs


def _policy(data: DecisionIn) -> Decided:
    if data.policy is None or data.effective_from is None:
        raise InvalidInput("Give the policy document and the day it takes effect.")
    today = timezone.localdate()
    if data.effective_from < today:
        raise InvalidInput(
            f"A policy cannot act on the past: it must take effect today ({today}) or later."
        )
    document, digest = contributions.policy_digest(data.policy)
    proposal = {"document": document, "effective_from": data.effective_from.isoformat()}
    return policy_target(digest, data.effective_from), proposal


def _agreement(data: DecisionIn) -> Decided:
    if data.subject is None:
        raise InvalidInput("Name the partnership agreement it is about.")
    return agreement_target(data.subject), None


def _change(data: DecisionIn) -> Decided:
    if data.change is None:
        raise InvalidInput("Name the proposed change to the governed document.")
    change = ProposedChange.objects.filter(pk=data.change).first()
    if change is None:
        raise NotFound(f"No proposed change {data.change}.")
    return document_target(change.document_id, change.pk), None


def _right(data: DecisionIn) -> Decided:
    if data.right is None:
        raise InvalidInput("Give the decision right's new setting.")
    return rights.checked_right(data.right)[3], data.right.model_dump(mode="json")


_WHAT: dict[Gated, Callable[[DecisionIn], Decided]] = {
    Gated.PUBLISH_POLICY: _policy,
    Gated.ACTIVATE_PARTNERSHIP: _agreement,
    Gated.END_PARTNERSHIP: _agreement,
    Gated.CHANGE_DOCUMENT: _change,
    Gated.CHANGE_DECISION_RIGHT: _right,
}


def open_decision(actor: Member, decision_id: int) -> Decision:
    """Put a draft to the vote: its electorate is fixed now (the community's members, or the
    group's), and the ledger records its opening, poll and electorate size."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        decision = _locked(decision_id)
        _run_by(actor, decision, "open")
        if decision.status != Status.DRAFT:
            raise Conflict("This decision has already been opened.")
        if decision.closes_at <= now:
            raise Conflict("Its closing time has passed: propose it again with a new one.")
        voters = list(queries.electorate_for(decision.group).values_list("pk", flat=True))
        ElectorateEntry.objects.bulk_create(
            ElectorateEntry(decision=decision, member_id=pk) for pk in voters
        )
        decision.status, decision.opens_at = Status.OPEN, now
        decision.electorate_size = len(voters)
        decision.save(update_fields=["status", "opens_at", "electorate_size"])
        ledger.append(
            "decision.opened",
            actor.pseudonym,
            _subject(decision),
            {
                "title_sha256": ledger.note(decision.title, owner=decision.proposer_id),
                "body_sha256": ledger.note(decision.body, owner=decision.proposer_id),
                "scope": f"group:{decision.group.slug}" if decision.group else "community",
                "subject": decision.subject_id,
                "poll": decision.poll,
                "options": len(decision.options),
                "threshold": decision.threshold,
                "quorum": decision.quorum,
                "secret": decision.secret,
                "electorate": decision.electorate_size,
                "closes_at": ledger.format_at(decision.closes_at),
            },
        )
    return decision


def cast_vote(actor: Member, decision_id: int, data: VoteIn) -> Ballot:
    """A member of the electorate casts or changes their ballot while the decision is open.
    Whoever holds an open disclosure on the partnership it is about does not vote on it."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        decision = _locked(decision_id)
        _seen(actor, decision)
        refusal = queries.vote_refusal(actor, decision, now)
        if refusal is not None:
            raise refusal
        choice = voting.read_choice(decision.as_poll, data.payload())
        ballot, _ = Ballot.objects.update_or_create(
            decision=decision,
            voter=actor,
            defaults={"choice": voting.choice_payload(choice), "cast_at": now},
        )
    return ballot


def _count(decision: Decision, closer: str, now: datetime) -> None:
    """Close an open decision past its closing time: the tally to the row and the ledger."""
    if decision.status != Status.OPEN:
        raise Conflict(f"Only an open decision closes; this one is {decision.status}.")
    if now < decision.closes_at:
        raise Conflict(f"Votes are taken until {decision.closes_at:%Y-%m-%d %H:%M %Z}.")
    result = queries.current_tally(decision).record()
    decision.status, decision.closed_at, decision.tally = Status.CLOSED, now, result
    decision.save(update_fields=["status", "closed_at", "tally"])
    facts = (
        {**result, "action": decision.action, "target": decision.target}
        if decision.action
        else result
    )
    ledger.append("decision.closed", closer, _subject(decision), facts)


def close_decision(actor: Member, decision_id: int) -> Decision:
    """Count the ballots once the closing time has passed. The tally and the electorate's
    size (never a ballot or a voter) go to the ledger; an outcome statement is then due."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        decision = _locked(decision_id)
        _run_by(actor, decision, "close")
        _count(decision, actor.pseudonym, now)
    return decision


def close_due_decisions(now: datetime | None = None) -> int:
    """Close, by themselves, the open decisions whose closing time has passed: the ledger
    names the system as their closer. Each closes in its own transaction; one closed in the
    meantime (by whoever runs it, or another worker) is skipped. Returns how many closed."""
    now = now or timezone.now()
    due = Decision.objects.filter(status=Status.OPEN, closes_at__lte=now).order_by("closes_at")
    closed = 0
    for pk in due.values_list("pk", flat=True):
        try:
            with transaction.atomic(durable=True):
                _count(_locked(pk), ledger.SYSTEM, now)
        except Conflict:
            continue
        closed += 1
    return closed


def record_outcome(actor: Member, decision_id: int, data: OutcomeIn) -> Decision:
    """Say, once it has closed, what the community makes of the result (what happens next,
    how a tie is settled). Until then the decision shows as "outcome due"."""
    statement = _text(data.statement, "The outcome statement")
    with transaction.atomic(durable=True):
        decision = _locked(decision_id)
        _run_by(actor, decision, "record the outcome of")
        if decision.status != Status.CLOSED:
            raise Conflict("The outcome is recorded after the decision closes.")
        if decision.outcome:
            raise Conflict("This decision's outcome is already recorded.")
        decision.outcome, decision.outcome_at = statement, timezone.now()
        decision.save(update_fields=["outcome", "outcome_at"])
        ledger.append(
            "decision.outcome",
            actor.pseudonym,
            _subject(decision),
            {
                "outcome_sha256": ledger.note(statement),
                "passed": bool((decision.tally or {}).get("passed")),
            },
        )
    return decision


def comment_on_decision(
    actor: Member, decision_id: int, data: DecisionCommentIn
) -> DecisionComment:
    """A member joins the discussion of a decision they may read, until it closes. A
    comment is the member's own words: it stays out of the ledger."""
    body = _text(data.body, "The comment")
    with transaction.atomic(durable=True):
        decision = _locked(decision_id)
        _seen(actor, decision)
        if decision.status == Status.CLOSED:
            raise Conflict("The discussion ends when the decision closes.")
        return DecisionComment.objects.create(decision=decision, author=actor, body=body)
