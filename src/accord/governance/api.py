"""Decision routes: members read decisions and discuss them; any member proposes; whoever
runs a decision opens, closes and records its outcome; its electorate votes."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router

from accord.domain.mandates import Gated
from accord.domain.voting import PollType
from accord.governance import queries, services
from accord.governance.schemas import (
    DecisionCommentIn,
    DecisionCommentOut,
    DecisionDetailOut,
    DecisionIn,
    DecisionOut,
    DecisionRightOut,
    OutcomeIn,
    VoteIn,
    VoterOut,
)
from accord.people.auth import actor
from accord.web.errors import Error
from accord.web.inputs import Id

router = Router(tags=["decisions"])
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def decision_out(line: queries.DecisionLine) -> DecisionOut:
    d = line.decision
    return DecisionOut(
        id=d.pk,
        title=d.title,
        body=d.body,
        group=d.group.slug if d.group else None,
        subject=d.subject_id,
        poll=PollType(d.poll),
        options=d.options,
        threshold=d.threshold,
        quorum=d.quorum,
        secret=d.secret,
        status=d.status,
        proposer=line.proposer,
        created_at=d.created_at,
        opens_at=d.opens_at,
        closes_at=d.closes_at,
        closed_at=d.closed_at,
        electorate=d.electorate_size,
        ballots=line.ballots,
        turnout=str(line.turnout),
        outcome=d.outcome,
        outcome_due=d.outcome_due,
        action=Gated(d.action) if d.action else None,
        target=d.target,
        carried_out=queries.carried_out(d),
    )


def detail_out(page: queries.DecisionPage) -> DecisionDetailOut:
    return DecisionDetailOut(
        **decision_out(page.line).model_dump(),
        tally=page.tally,
        my_choice=page.my_choice,
        may_vote=page.may_vote,
        why_not=page.why_not,
        voters=[VoterOut(name=v.name, handle=v.handle, choice=v.choice) for v in page.voters]
        if page.voters is not None
        else None,
        comments=[comment_out(c) for c in page.comments],
    )


def comment_out(c: queries.CommentLine) -> DecisionCommentOut:
    return DecisionCommentOut(id=c.id, author=c.author, body=c.body, at=c.at, mine=c.mine)


def _detail(request: HttpRequest, decision_id: int) -> DecisionDetailOut:
    return detail_out(queries.decision_page(actor(request), decision_id))


@router.get(
    "",
    response={200: list[DecisionOut], 401: Error, 403: Error},
    url_name="api-decisions",
    operation_id="list_decisions",
)
def list_decisions(
    request: HttpRequest, status: Literal["draft", "open", "closed"] | None = None
) -> list[DecisionOut]:
    """The decisions the reader may see, newest first."""
    return [decision_out(x) for x in queries.list_decisions(actor(request), status=status)]


@router.get(
    "/rights",
    response={200: list[DecisionRightOut]},
    url_name="api-decision-rights",
    operation_id="list_decision_rights",
    auth=None,
)
def rights(request: HttpRequest) -> list[DecisionRightOut]:
    """Who decides each action that needs a passed decision, by what threshold and quorum:
    the community's own rules, public."""
    return [
        DecisionRightOut(
            action=r.action,
            label=r.action.label,
            group=r.group,
            threshold=r.threshold,
            quorum=r.quorum,
            decision=r.decision,
        )
        for r in queries.decision_rights()
    ]


@router.post(
    "",
    response={201: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-create",
    operation_id="propose_decision",
)
def propose(request: HttpRequest, payload: DecisionIn) -> tuple[int, DecisionDetailOut]:
    """Draft a decision for the whole community or one of the reader's groups."""
    made = services.propose_decision(actor(request), payload)
    return 201, _detail(request, made.pk)


@router.get(
    "/{decision_id}",
    response={200: DecisionDetailOut, 401: Error, 403: Error, 404: Error},
    url_name="api-decision",
    operation_id="get_decision",
)
def detail(request: HttpRequest, decision_id: Id) -> DecisionDetailOut:
    """A decision with its counts, turnout, the reader's ballot and its discussion."""
    return _detail(request, decision_id)


@router.post(
    "/{decision_id}/open",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-open",
    operation_id="open_decision",
)
def open_decision(request: HttpRequest, decision_id: Id) -> DecisionDetailOut:
    """Put a draft to the vote; its electorate is fixed now."""
    services.open_decision(actor(request), decision_id)
    return _detail(request, decision_id)


@router.put(
    "/{decision_id}/vote",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-vote",
    operation_id="cast_vote",
)
def vote(request: HttpRequest, decision_id: Id, payload: VoteIn) -> DecisionDetailOut:
    """Cast or change the reader's ballot while the decision is open."""
    services.cast_vote(actor(request), decision_id, payload)
    return _detail(request, decision_id)


@router.post(
    "/{decision_id}/close",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-close",
    operation_id="close_decision",
)
def close(request: HttpRequest, decision_id: Id) -> DecisionDetailOut:
    """Count the ballots after the closing time; the tally goes to the ledger."""
    services.close_decision(actor(request), decision_id)
    return _detail(request, decision_id)


@router.post(
    "/{decision_id}/outcome",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-outcome",
    operation_id="record_decision_outcome",
)
def outcome(request: HttpRequest, decision_id: Id, payload: OutcomeIn) -> DecisionDetailOut:
    """Record what the community makes of a closed decision's result."""
    services.record_outcome(actor(request), decision_id, payload)
    return _detail(request, decision_id)


@router.post(
    "/{decision_id}/carry-out",
    response={200: DecisionDetailOut, **WRITE_ERRORS},
    url_name="api-decision-carry-out",
    operation_id="carry_out_decision",
)
def carry_out(request: HttpRequest, decision_id: Id) -> DecisionDetailOut:
    """Do what a passed decision allows: publish its policy, activate or end its
    partnership, or change its decision right."""
    services.carry_out_decision(actor(request), decision_id)
    return _detail(request, decision_id)


@router.get(
    "/{decision_id}/comments",
    response={200: list[DecisionCommentOut], 401: Error, 403: Error, 404: Error},
    url_name="api-decision-comments",
    operation_id="list_decision_comments",
)
def comments(request: HttpRequest, decision_id: Id) -> list[DecisionCommentOut]:
    """The decision's discussion, oldest first."""
    return [comment_out(c) for c in queries.decision_page(actor(request), decision_id).comments]


@router.post(
    "/{decision_id}/comments",
    response={201: DecisionCommentOut, **WRITE_ERRORS},
    url_name="api-decision-comment",
    operation_id="comment_on_decision",
)
def comment(
    request: HttpRequest, decision_id: Id, payload: DecisionCommentIn
) -> tuple[int, DecisionCommentOut]:
    """Join a decision's discussion (until it closes)."""
    made = services.comment_on_decision(actor(request), decision_id, payload)
    page = queries.decision_page(actor(request), decision_id)
    return 201, comment_out(next(c for c in page.comments if c.id == made.pk))
