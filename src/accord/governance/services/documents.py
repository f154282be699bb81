"""Writes about living documents: one function per action.

Creating a document and each new revision are acts of office, named in the ledger by the
handle of the steward or lead who did them, with the revision's number and the SHA-256 of
its text (the text itself is published on the document's page, never in the ledger). A
member's proposal is in the ledger as "a member" with ids and statuses only; comments stay
out of it, as a decision's discussion does.

A governed document has exactly one way to change: a proposal put to a decision, adopted
once that decision has closed and passed. Revising it directly and accepting a proposal to
it are refused.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.domain.errors import Conflict, Forbidden, NotFound
from accord.domain.living_documents import normalized
from accord.domain.mandates import Gated, document_target
from accord.domain.text import required
from accord.domain.voting import PollType
from accord.governance import documents_permissions as permissions
from accord.governance.models import (
    ChangeStatus,
    Decision,
    Document,
    ProposedChange,
    Revision,
    RevisionComment,
    Status,
)
from accord.governance.schemas import (
    ChangeDecisionIn,
    ChangeIn,
    DecisionIn,
    DeclineIn,
    DocumentIn,
    RevisionCommentIn,
    RevisionIn,
)
from accord.governance.services.decisions import propose_decision
from accord.ledger import mandates
from accord.ledger import services as ledger
from accord.people.models import Group, Member

GOVERNED = (
    "This document is governed: it changes only through a passed decision. Propose the "
    "change, and its owners put it to a decision."
)


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def _subject(document: Document) -> str:
    return f"document:{document.pk}"


def _locked(slug: str) -> Document:
    found = Document.objects.select_for_update(of=("self",)).filter(slug=slug).first()
    if found is None:
        raise NotFound(f"No document {slug!r}.")
    return found


def _current(document: Document) -> Revision:
    return document.revisions.order_by("-number").first()  # type: ignore[return-value]


def _owner(actor: Member, document: Document, what: str) -> None:
    if not permissions.owns(actor, document):
        who = "Only stewards and the group's leads" if document.group else "Only stewards"
        raise Forbidden(f"{who} {what} this document.")


def _member(actor: Member, what: str) -> None:
    if not permissions.can_take_part(actor):
        raise Forbidden(f"Only the community's members {what}.")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:80].strip("-") or "document"
    slug, n = base, 2
    while Document.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record_revision(actor: Member, document: Document, revision: Revision) -> None:
    ledger.append(
        "document.revised",
        actor.pseudonym,
        _subject(document),
        {
            "revision": revision.number,
            "decision": revision.decision_id,
            "body_sha256": body_sha256(revision.body),
        },
    )


def _revise(
    actor: Member, document: Document, body: str, summary: str, decision: Decision | None
) -> Revision:
    current = _current(document)
    if current.body == body:
        raise Conflict("The text is the same as the current revision's: nothing to record.")
    made = Revision.objects.create(
        document=document,
        number=current.number + 1,
        body=body,
        summary=summary,
        author=actor,
        decision=decision,
    )
    _record_revision(actor, document, made)
    return made


def create_document(actor: Member, data: DocumentIn) -> Document:
    """A steward publishes a new document with its first revision, owned by a group's
    leads or by the stewards."""
    if not permissions.can_create(actor):
        raise Forbidden("Only stewards create documents.")
    title = required(data.title, "The title is empty: write something.")
    body = normalized(required(data.body, "The text is empty: write something."))
    summary = required(data.summary, "The summary is empty: say what this version is.")
    group = None
    if data.group:
        group = Group.objects.filter(slug=data.group, archived_at__isnull=True).first()
        if group is None:
            raise NotFound(f"No group {data.group!r}.")
    with transaction.atomic(durable=True):
        document = Document.objects.create(
            title=title,
            slug=_unique_slug(title),
            kind=data.kind,
            group=group,
            governed=data.governed,
        )
        first = Revision.objects.create(
            document=document, number=1, body=body, summary=summary, author=actor
        )
        ledger.append(
            "document.created",
            actor.pseudonym,
            _subject(document),
            {
                "kind": document.kind,
                "governed": document.governed,
                "owners": f"group:{group.slug}" if group else "stewards",
            },
        )
        _record_revision(actor, document, first)
    return document


def revise_document(actor: Member, slug: str, data: RevisionIn) -> Revision:
    """An owner records a new revision of a document that is not governed."""
    body = normalized(required(data.body, "The text is empty: write something."))
    summary = required(data.summary, "The summary is empty: say what changed.")
    with transaction.atomic(durable=True):
        document = _locked(slug)
        _owner(actor, document, "revise")
        if document.governed:
            raise Conflict(GOVERNED)
        return _revise(actor, document, body, summary, None)


def comment_on_revision(
    actor: Member, slug: str, number: int, data: RevisionCommentIn
) -> RevisionComment:
    """A member comments on a revision. A comment is the member's own words: it stays out
    of the ledger."""
    _member(actor, "comment on documents")
    body = required(data.body, "The comment is empty: write something.")
    with transaction.atomic(durable=True):
        revision = Revision.objects.filter(document__slug=slug, number=number).first()
        if revision is None:
            raise NotFound(f"No revision {number} of document {slug!r}.")
        return RevisionComment.objects.create(revision=revision, author=actor, body=body)


def propose_change(actor: Member, slug: str, data: ChangeIn) -> ProposedChange:
    """Any member proposes a new text for a document, written on its current revision."""
    _member(actor, "propose changes to documents")
    body = normalized(required(data.body, "The proposed text is empty: write something."))
    summary = required(data.summary, "The summary is empty: say what it changes and why.")
    with transaction.atomic(durable=True):
        document = _locked(slug)
        base = _current(document)
        if base.body == body:
            raise Conflict("The text is the same as the current revision's: nothing to change.")
        made = ProposedChange.objects.create(
            document=document, base=base, body=body, summary=summary, proposer=actor
        )
        ledger.append(
            "proposal.opened",
            ledger.MEMBER,
            f"proposal:{made.pk}",
            {"document": document.pk, "based_on": base.number, "status": made.status},
        )
    return made


def _proposal(actor: Member, slug: str, proposal_id: int) -> ProposedChange:
    """The proposal, locked with its document (document first, as every writer takes them)."""
    if not permissions.can_take_part(actor):
        raise NotFound(f"No proposed change {proposal_id}.")
    document = _locked(slug)
    found = (
        ProposedChange.objects.select_for_update(of=("self",))
        .select_related("base")
        .filter(pk=proposal_id, document=document)
        .first()
    )
    if found is None:
        raise NotFound(f"No proposed change {proposal_id}.")
    found.document = document
    return found


def stale_refusal(proposal: ProposedChange) -> Conflict | None:
    """Why a proposal written on an older revision cannot be adopted as it is."""
    current = _current(proposal.document)
    if proposal.base.number == current.number:
        return None
    return Conflict(
        f"This change was written on revision {proposal.base.number}; the document is now at "
        f"revision {current.number}. Propose it again on the current text."
    )


def _settle(actor: Member, proposal: ProposedChange, status: ChangeStatus) -> None:
    proposal.status, proposal.settled_at = status, timezone.now()
    proposal.save(update_fields=["status", "settled_at", "reason", "decision", "revision"])
    ledger.append(
        f"proposal.{status.name.lower()}",
        actor.pseudonym,
        f"proposal:{proposal.pk}",
        {
            "document": proposal.document_id,
            "status": proposal.status,
            "decision": proposal.decision_id,
            "revision": proposal.revision.number if proposal.revision else None,
        },
    )


def _still_open(proposal: ProposedChange) -> None:
    if proposal.status != ChangeStatus.OPEN:
        raise Conflict(f"This proposal is no longer open: it is {proposal.get_status_display()}.")


def accept_change(actor: Member, slug: str, proposal_id: int) -> Revision:
    """An owner accepts a proposal to a document that is not governed: it becomes the next
    revision, authored by its proposer."""
    with transaction.atomic(durable=True):
        proposal = _proposal(actor, slug, proposal_id)
        _owner(actor, proposal.document, "accept changes to")
        if proposal.document.governed:
            raise Conflict(GOVERNED)
        _still_open(proposal)
        refusal = stale_refusal(proposal)
        if refusal is not None:
            raise refusal
        proposal.revision = _adopt(actor, proposal, None)
        _settle(actor, proposal, ChangeStatus.ACCEPTED)
    return proposal.revision


def _adopt(actor: Member, proposal: ProposedChange, decision: Decision | None) -> Revision:
    made = _revise(actor, proposal.document, proposal.body, proposal.summary, decision)
    made.author = proposal.proposer
    made.save(update_fields=["author"])
    return made


def decline_change(actor: Member, slug: str, proposal_id: int, data: DeclineIn) -> ProposedChange:
    """An owner declines an open proposal (or one whose decision did not pass), saying why."""
    reason = required(data.reason, "The reason is empty: say why.")
    with transaction.atomic(durable=True):
        proposal = _proposal(actor, slug, proposal_id)
        _owner(actor, proposal.document, "decline changes to")
        if proposal.status == ChangeStatus.PUT_TO_DECISION:
            decision = proposal.decision
            if decision is None or decision.status != Status.CLOSED or decision.passed:
                raise Conflict("This change is before a decision: its result settles it.")
        else:
            _still_open(proposal)
        proposal.reason = reason
        _settle(actor, proposal, ChangeStatus.DECLINED)
    return proposal


def put_change_to_decision(
    actor: Member, slug: str, proposal_id: int, data: ChangeDecisionIn
) -> ProposedChange:
    """An owner drafts a consent decision on an open proposal, put to the body the decision
    rights name for changing a governed document, and links it; once it has closed and
    passed, the change is adopted."""
    with transaction.atomic(durable=True):
        proposal = _proposal(actor, slug, proposal_id)
        _owner(actor, proposal.document, "put to a decision changes to")
        _still_open(proposal)
        refusal = stale_refusal(proposal)
        if refusal is not None:
            raise refusal
    document = proposal.document
    title = f"Change “{document.title}”: {proposal.summary}"
    made = propose_decision(
        actor,
        DecisionIn.model_validate(
            {
                "title": title if len(title) <= 160 else title[:159] + "…",
                "body": (
                    f"{proposal.summary}\n\nA proposed change to the "
                    f"{document.get_kind_display().lower()} “{document.title}”, written on "
                    f"revision {proposal.base.number}. Read the proposed text and what it "
                    f"changes at /documents/{document.slug}/proposals/{proposal.pk}/. If this "
                    "passes, the change becomes the document's next revision."
                ),
                "poll": PollType.CONSENT,
                "closes_at": data.closes_at,
                "action": Gated.CHANGE_DOCUMENT,
                "change": proposal.pk,
            }
        ),
    )
    with transaction.atomic(durable=True):
        proposal = _proposal(actor, slug, proposal_id)
        if proposal.status != ChangeStatus.OPEN:  # settled in the meantime
            Decision.objects.filter(pk=made.pk, status=Status.DRAFT).delete()
            _still_open(proposal)
        proposal.decision = made
        _settle(actor, proposal, ChangeStatus.PUT_TO_DECISION)
    return proposal


def adopt_change(actor: Member, slug: str, proposal_id: int) -> Revision:
    """An owner adopts a proposal whose decision has closed and passed: it becomes the next
    revision, recorded with that decision."""
    with transaction.atomic(durable=True):
        proposal = _proposal(actor, slug, proposal_id)
        _owner(actor, proposal.document, "adopt changes to")
        if proposal.status != ChangeStatus.PUT_TO_DECISION or proposal.decision is None:
            raise Conflict("A change is adopted after it has been put to a decision that passed.")
        decision = Decision.objects.select_for_update(of=("self",)).get(pk=proposal.decision.pk)
        if decision.status != Status.CLOSED:
            raise Conflict(
                f"The decision on this change (number {decision.pk}) has not closed yet: it is "
                "adopted once it has closed and passed."
            )
        if not decision.passed:
            raise Conflict(
                f"The decision on this change (number {decision.pk}) did not pass: the document "
                "stays as it is."
            )
        refusal = stale_refusal(proposal)
        if refusal is not None:
            raise refusal
        target = document_target(proposal.document_id, proposal.pk)
        mandates.carry_out(decision.pk, Gated.CHANGE_DOCUMENT, target, actor.pseudonym)
        proposal.revision = _adopt(actor, proposal, decision)
        _settle(actor, proposal, ChangeStatus.ADOPTED)
    return proposal.revision
