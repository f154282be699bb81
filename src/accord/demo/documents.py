"""Demo living documents: a governed funding guideline and decision-rights guideline, each
changed through passed decisions; a code of conduct and a plan revised by their owners; and
an open change a member has proposed to the funding guideline.

Everything goes through the services. A decision on a change is opened, voted on, and then
its closing time is moved into the past, as if its week had gone by, before it is closed.
"""

import random
from datetime import timedelta

from django.utils import timezone

from accord.domain.voting import STANCES
from accord.governance import services
from accord.governance.models import Decision, Document, ElectorateEntry, ProposedChange
from accord.governance.schemas import (
    ChangeDecisionIn,
    ChangeIn,
    DocumentIn,
    OutcomeIn,
    RevisionCommentIn,
    RevisionIn,
    VoteIn,
)
from accord.people.models import Group, Member

FUNDING = (
    "Money from partners goes into the community fund. Nobody spends it alone.\n\n"
    "Each year we agree a budget at the general meeting. The stewards keep to it.\n\n"
    "The treasurer reports what came in and what went out each quarter."
)
FUNDING_2 = FUNDING.replace(
    "each quarter.",
    "every month. The report names each partner and the sum it gave.",
)
FUNDING_3 = (
    FUNDING_2
    + "\n\nA partner may not choose who gets its money. If it asks to, we say no and we say why."
)
FUNDING_PROPOSED = FUNDING_3.replace(
    "Nobody spends it alone.", "Nobody spends it alone, and two people sign every payment."
)
RIGHTS = (
    "Members decide what matters to all of us by a vote of the whole community.\n\n"
    "A group decides its own work. Its leads run its votes.\n\n"
    "Stewards carry out what was decided and say what they did."
)
RIGHTS_2 = RIGHTS.replace(
    "Its leads run its votes.",
    "Its leads run its votes, and any member of the group may ask for one.",
)
CONDUCT = (
    "Be kind. Listen first. Disagree with ideas, not with people.\n\n"
    "No harassment, in any place where we meet.\n\n"
    "Tell a steward if something is wrong. We will act and keep you safe."
)
CONDUCT_2 = CONDUCT.replace(
    "Tell a steward if something is wrong.",
    "Tell a steward, or write to the conduct team, if something is wrong.",
)
PLAN = (
    "This year we will open our data on local services.\n\n"
    "First we list what data we hold. Then we ask members what they need.\n\n"
    "By the autumn we publish the first open data set."
)
PLAN_2 = PLAN + "\n\nEach step has a member who owns it, named in the working group's notes."


def _passed_decision(decision: Decision, steward: Member, rng: random.Random) -> None:
    """Open the decision, have a sample of its electorate agree (a few abstain), close it."""
    services.open_decision(steward, decision.pk)
    seats = list(
        ElectorateEntry.objects.filter(decision=decision)
        .order_by("pk")
        .values_list("member", flat=True)
    )
    voters = Member.objects.filter(pk__in=rng.sample(seats, min(len(seats), 30))).order_by("pk")
    for voter in voters:
        stance = rng.choices(STANCES[:2], weights=(9, 1))[0]  # agree or abstain
        services.cast_vote(voter, decision.pk, VoteIn.model_validate({"stance": stance}))
    Decision.objects.filter(pk=decision.pk).update(
        closes_at=timezone.now() - timedelta(days=rng.randint(1, 30))
    )
    services.close_decision(steward, decision.pk)


def _through_decision(
    doc: Document,
    body: str,
    summary: str,
    *,
    proposer: Member,
    steward: Member,
    rng: random.Random,
) -> None:
    """A member proposes `body`; the steward puts it to a decision, which passes; the
    steward adopts it and records the decision's outcome."""
    change = services.propose_change(proposer, doc.slug, ChangeIn(body=body, summary=summary))
    services.put_change_to_decision(
        steward,
        doc.slug,
        change.pk,
        ChangeDecisionIn(closes_at=timezone.now() + timedelta(days=7)),
    )
    decision = ProposedChange.objects.get(pk=change.pk).decision
    assert decision is not None  # noqa: S101 - just linked
    _passed_decision(decision, steward, rng)
    made = services.adopt_change(steward, doc.slug, change.pk)
    services.record_outcome(
        steward,
        decision.pk,
        OutcomeIn(statement=f"Adopted as revision {made.number} of “{doc.title}”."),
    )


def _document(steward: Member, title: str, kind: str, body: str, **fields: object) -> Document:
    return services.create_document(
        steward,
        DocumentIn.model_validate({"title": title, "kind": kind, "body": body, **fields}),
    )


def seed_documents(
    *, people: list[Member], steward: Member, proposer: Member, rng: random.Random
) -> list[Document]:
    """The demo's documents (see the module docstring); `proposer` has an open change."""
    others = [
        m for m in people if m.pk != proposer.pk and m.role == "member" and m.erased_at is None
    ]
    authors = rng.sample(others, 3)
    funding = _document(steward, "Funding guideline", "funding", FUNDING, governed=True)
    _through_decision(
        funding,
        FUNDING_2,
        "Report monthly, by partner.",
        proposer=authors[0],
        steward=steward,
        rng=rng,
    )
    _through_decision(
        funding,
        FUNDING_3,
        "Partners do not choose who gets their money.",
        proposer=authors[1],
        steward=steward,
        rng=rng,
    )
    services.propose_change(
        proposer,
        funding.slug,
        ChangeIn(body=FUNDING_PROPOSED, summary="Two people sign every payment."),
    )
    rights = _document(
        steward, "Decision-rights guideline", "decision_rights", RIGHTS, governed=True
    )
    _through_decision(
        rights,
        RIGHTS_2,
        "Any group member may ask for a vote.",
        proposer=authors[2],
        steward=steward,
        rng=rng,
    )
    conduct = _document(steward, "Code of conduct", "conduct", CONDUCT)
    services.revise_document(
        steward, conduct.slug, RevisionIn(body=CONDUCT_2, summary="Name the conduct team.")
    )
    services.comment_on_revision(
        authors[0], conduct.slug, 2, RevisionCommentIn(body="Good to have a second place to go.")
    )
    group = Group.objects.filter(name="Open Data Working Group").first()
    plan = _document(steward, "Open data plan", "plan", PLAN, group=group.slug if group else None)
    services.revise_document(
        steward, plan.slug, RevisionIn(body=PLAN_2, summary="Each step has an owner.")
    )
    return [funding, rights, conduct, plan]
