"""Reads about decisions, shaped for the pages, the API and the command line.

Counts and turnout are shown to every member. Who voted what is shown only for an open
(not secret) ballot, and then only of voters the reader may see (`visibility.named_among`);
of a secret ballot nobody but its voter ever sees a ballot. While a secret ballot is open
even the running counts are withheld: a count that moves as someone votes would tell what
they chose. Once it closes, its counts are the tally.
"""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accord.domain import voting
from accord.domain.errors import Conflict, DomainError, Forbidden, NotFound
from accord.governance import permissions
from accord.governance.models import Ballot, Decision, ElectorateEntry, Status
from accord.partners.models import Agreement, Disclosure
from accord.people.models import Group, Member, Membership, SiteRole
from accord.people.permissions import is_steward
from accord.people.visibility import LEADS, Sight, named_among, verified_members

A_MEMBER = "a member"


def agreement_exists(agreement_id: int) -> bool:
    return Agreement.objects.filter(pk=agreement_id).exists()


def electorate_for(group: Group | None) -> QuerySet[Member]:
    """Who may vote on a decision of `group` (None: the whole community), as of now:
    verified, not erased members other than partners' representatives, and for a group its
    current members."""
    members = verified_members().exclude(role=SiteRole.PARTNER_REP)
    if group is not None:
        members = members.filter(
            pk__in=Membership.objects.filter(group=group, left_at__isnull=True).values("member")
        )
    return members


def has_open_disclosure(member: Member, agreement_id: int) -> bool:
    """Whether the member has declared an interest in the agreement and not closed it."""
    return Disclosure.objects.filter(
        agreement_id=agreement_id, discloser=member, closed_at__isnull=True
    ).exists()


def vote_refusal(actor: Member, decision: Decision, now: datetime) -> DomainError | None:
    """Why `actor` may not vote on `decision` at `now` (None: they may)."""
    if decision.status == Status.DRAFT:
        return Conflict("This decision is not open for votes yet.")
    if decision.status == Status.CLOSED or now >= decision.closes_at:
        return Conflict("Voting on this decision has closed.")
    if not ElectorateEntry.objects.filter(decision=decision, member=actor).exists():
        return Forbidden("Only the members entitled to vote when this decision opened vote on it.")
    if decision.subject_id is not None and has_open_disclosure(actor, decision.subject_id):
        return Forbidden(
            "You have an open disclosure on the partnership this decision is about: you do "
            "not vote on it."
        )
    return None


def current_tally(decision: Decision) -> voting.Tally:
    """The tally of the ballots cast so far."""
    poll = decision.as_poll
    ballots = (
        Ballot.objects.filter(decision=decision).order_by("pk").values_list("choice", flat=True)
    )
    return voting.tally(poll, [voting.read_choice(poll, b) for b in ballots])


@dataclass(frozen=True)
class DecisionLine:
    """A decision in a list: the proposer named where the reader may see them."""

    decision: Decision
    proposer: str
    ballots: int
    mine: bool

    @property
    def turnout(self) -> Fraction:
        size = self.decision.electorate_size
        return Fraction(self.ballots, size) if size else Fraction(0)


def _readable(viewer: Member) -> Q:
    if is_steward(viewer):
        return Q()
    led = Membership.objects.filter(member=viewer, left_at__isnull=True, role__in=LEADS)
    return ~Q(status=Status.DRAFT) | Q(proposer=viewer) | Q(group__in=led.values("group"))


def _lines(viewer: Member, decisions: list[Decision]) -> list[DecisionLine]:
    shown = named_among(viewer, {d.proposer_id for d in decisions if d.proposer_id}, Sight.PROFILE)
    return [
        DecisionLine(
            decision=d,
            proposer=d.proposer.display_name
            if d.proposer is not None and d.proposer_id in shown
            else A_MEMBER,
            ballots=d.ballot_count,  # type: ignore[attr-defined]
            mine=d.proposer_id == viewer.pk,
        )
        for d in decisions
    ]


def _inside(viewer: Member | None) -> Member:
    if viewer is None or not permissions.is_inside(viewer):
        raise Forbidden("Decisions are read by the community's members.")
    return viewer


OUTCOME_DUE = "outcome_due"
COMMUNITY = "community"


def list_decisions(
    viewer: Member | None, *, status: str | None = None, scope: str | None = None
) -> list[DecisionLine]:
    """The decisions `viewer` may read, newest first (drafts only their proposer's and
    those they run); `status` narrows to draft, open, closed or outcome_due (closed without
    an outcome statement), `scope` to "community" or a group's slug."""
    reader = _inside(viewer)
    rows = Decision.objects.filter(_readable(reader)).select_related("group", "proposer")
    if status == OUTCOME_DUE:
        rows = rows.filter(status=Status.CLOSED, outcome="")
    elif status is not None:
        rows = rows.filter(status=status)
    if scope == COMMUNITY:
        rows = rows.filter(group__isnull=True)
    elif scope is not None:
        rows = rows.filter(group__slug=scope)
    return _lines(reader, list(rows.annotate(ballot_count=Count("ballots"))))


def proposable_groups(viewer: Member | None) -> list[Group]:
    """The groups `viewer` may propose a decision for: all live groups for a steward, else
    the ones they belong to."""
    if viewer is None or not permissions.is_inside(viewer):
        return []
    groups = Group.objects.filter(archived_at__isnull=True).order_by("name")
    if is_steward(viewer):
        return list(groups)
    mine = Membership.objects.filter(member=viewer, left_at__isnull=True).values("group")
    return list(groups.filter(pk__in=mine))


def subject_choices() -> list[tuple[int, str]]:
    """The partnerships a decision may be about, as (number, "partner: title")."""
    rows = Agreement.objects.select_related("partner").order_by("partner__name", "title")
    return [(a.pk, f"{a.partner.name}: {a.title}") for a in rows]


def decision_scopes(viewer: Member | None) -> list[Group]:
    """The groups of the decisions `viewer` may read, by name (a list's scope filter)."""
    reader = _inside(viewer)
    held = Decision.objects.filter(_readable(reader), group__isnull=False).values("group")
    return list(Group.objects.filter(pk__in=held).order_by("name"))


@dataclass(frozen=True)
class Voter:
    name: str
    handle: str
    choice: dict[str, Any]


@dataclass(frozen=True)
class CommentLine:
    id: int
    author: str
    body: str
    at: datetime
    mine: bool


@dataclass(frozen=True)
class DecisionPage:
    """One decision as `viewer` sees it (see the module docstring for what is shown)."""

    line: DecisionLine
    tally: dict[str, Any] | None
    my_choice: dict[str, Any] | None
    may_vote: bool
    why_not: str
    voters: list[Voter] | None
    comments: list[CommentLine]
    may_run: bool


def _tally_shown(decision: Decision) -> dict[str, Any] | None:
    if decision.status == Status.CLOSED:
        return decision.tally
    if decision.status == Status.OPEN and not decision.secret:
        return current_tally(decision).record()
    return None


def _voters(viewer: Member, decision: Decision) -> list[Voter] | None:
    if decision.secret:
        return None
    ballots = list(Ballot.objects.filter(decision=decision).select_related("voter"))
    shown = named_among(viewer, {b.voter_id for b in ballots}, Sight.PROFILE)
    return [
        Voter(b.voter.display_name, b.voter.pseudonym, b.choice)
        for b in sorted(ballots, key=lambda b: (b.voter.display_name, b.voter.pseudonym))
        if b.voter_id in shown
    ]


def _comments(viewer: Member, decision: Decision) -> list[CommentLine]:
    rows = list(decision.comments.select_related("author"))
    shown = named_among(viewer, {c.author_id for c in rows}, Sight.PROFILE)
    return [
        CommentLine(
            c.pk,
            c.author.display_name if c.author_id in shown else A_MEMBER,
            c.body,
            c.at,
            c.author_id == viewer.pk,
        )
        for c in rows
    ]


def decision_page(viewer: Member | None, decision_id: int) -> DecisionPage:
    """A decision, its counts and turnout, the reader's own ballot, its voters (an open
    ballot's, through consent) and its discussion."""
    if viewer is None or not permissions.is_inside(viewer):
        raise NotFound(f"No decision {decision_id}.")
    reader = viewer
    found = (
        Decision.objects.select_related("group", "proposer")
        .annotate(ballot_count=Count("ballots"))
        .filter(pk=decision_id)
        .first()
    )
    if found is None or not permissions.can_read(reader, found):
        raise NotFound(f"No decision {decision_id}.")
    mine = Ballot.objects.filter(decision=found, voter=reader).first()
    refusal = vote_refusal(reader, found, timezone.now())
    return DecisionPage(
        line=_lines(reader, [found])[0],
        tally=_tally_shown(found),
        my_choice=mine.choice if mine else None,
        may_vote=refusal is None,
        why_not="" if refusal is None else refusal.detail,
        voters=None if found.status == Status.DRAFT else _voters(reader, found),
        comments=_comments(reader, found),
        may_run=permissions.can_run(reader, found),
    )
