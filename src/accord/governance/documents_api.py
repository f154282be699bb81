"""Living document routes: members read documents, their revisions, differences and
proposed changes; stewards create documents; owners revise them and settle proposals; any
member comments on a revision and proposes a change."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.domain.living_documents import TARGET
from accord.governance import queries, services
from accord.governance.models import Kind
from accord.governance.schemas import (
    ChangeDecisionIn,
    ChangeDetailOut,
    ChangeIn,
    ChangeOut,
    DeclineIn,
    DiffOut,
    DocumentDetailOut,
    DocumentIn,
    DocumentOut,
    PieceOut,
    ReadabilityOut,
    RevisionCommentIn,
    RevisionCommentOut,
    RevisionDetailOut,
    RevisionIn,
    RevisionOut,
)
from accord.governance.services.documents import body_sha256
from accord.people.auth import actor
from accord.web.errors import Error
from accord.web.inputs import Id, Key

router = Router(tags=["documents"])
READ_ERRORS = {401: Error, 403: Error, 404: Error}
WRITE_ERRORS = {401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _document_out(line: queries.DocumentLine) -> DocumentOut:
    d = line.document
    return DocumentOut(
        slug=d.slug,
        title=d.title,
        kind=Kind(d.kind),
        owners=d.group.slug if d.group else "stewards",
        governed=d.governed,
        revision=line.current.number,
        updated_at=line.current.created_at,
    )


def _revision_out(line: queries.RevisionLine) -> RevisionOut:
    r = line.revision
    return RevisionOut(
        number=r.number,
        summary=r.summary,
        author=line.author,
        created_at=r.created_at,
        decision=r.decision_id,
    )


def _revision_detail(line: queries.RevisionLine) -> RevisionDetailOut:
    score = line.readability
    return RevisionDetailOut(
        **_revision_out(line).model_dump(),
        body=line.revision.body,
        body_sha256=body_sha256(line.revision.body),
        readability=None
        if score is None
        else ReadabilityOut(
            score=score.score,
            target=TARGET,
            meets_target=score.meets_target,
            meaning=score.meaning,
        ),
    )


def _change_out(line: queries.ChangeLine) -> ChangeOut:
    c = line.change
    return ChangeOut(
        id=c.pk,
        document=c.document.slug,
        based_on=c.base.number,
        stale=line.stale,
        summary=c.summary,
        proposer=line.proposer,
        status=c.status,
        decision=c.decision_id,
        reason=c.reason,
        revision=c.revision.number if c.revision else None,
        created_at=c.created_at,
    )


def _detail(request: HttpRequest, slug: str) -> DocumentDetailOut:
    page = queries.document_page(actor(request), slug)
    return DocumentDetailOut(
        **_document_out(queries.DocumentLine(page.document, page.current.revision)).model_dump(),
        current=_revision_detail(page.current),
        history=[_revision_out(x) for x in page.history],
        proposals=[_change_out(x) for x in page.proposals or []],
    )


def _change(request: HttpRequest, slug: str, proposal_id: int) -> ChangeDetailOut:
    page = queries.change_page(actor(request), slug, proposal_id)
    return ChangeDetailOut(**_change_out(page.line).model_dump(), body=page.line.change.body)


@router.get(
    "",
    response={200: list[DocumentOut], 401: Error},
    url_name="api-documents",
    operation_id="list_documents",
)
def list_documents(request: HttpRequest, kind: Kind | None = None) -> list[DocumentOut]:
    """Every document with its current revision number, by title."""
    return [_document_out(x) for x in queries.list_documents(kind)]


@router.post(
    "",
    response={201: DocumentDetailOut, **WRITE_ERRORS},
    url_name="api-document-create",
    operation_id="create_document",
)
def create(request: HttpRequest, payload: DocumentIn) -> tuple[int, DocumentDetailOut]:
    """Publish a document with its first revision (stewards)."""
    made = services.create_document(actor(request), payload)
    return 201, _detail(request, made.slug)


@router.get(
    "/{slug}",
    response={200: DocumentDetailOut, **READ_ERRORS},
    url_name="api-document",
    operation_id="get_living_document",
)
def detail(request: HttpRequest, slug: Key) -> DocumentDetailOut:
    """A document: its current text and score, its history and the proposed changes."""
    return _detail(request, slug)


@router.post(
    "/{slug}/revisions",
    response={201: DocumentDetailOut, **WRITE_ERRORS},
    url_name="api-document-revise",
    operation_id="revise_document",
)
def revise(request: HttpRequest, slug: Key, payload: RevisionIn) -> tuple[int, DocumentDetailOut]:
    """Record a new revision of a document that is not governed (its owners)."""
    services.revise_document(actor(request), slug, payload)
    return 201, _detail(request, slug)


@router.get(
    "/{slug}/revisions/{number}",
    response={200: RevisionDetailOut, **READ_ERRORS},
    url_name="api-document-revision",
    operation_id="get_document_revision",
)
def revision(request: HttpRequest, slug: Key, number: Id) -> RevisionDetailOut:
    """One revision's text and score."""
    return _revision_detail(queries.revision_page(actor(request), slug, number).line)


@router.get(
    "/{slug}/revisions/{number}/comments",
    response={200: list[RevisionCommentOut], **READ_ERRORS},
    url_name="api-document-comments",
    operation_id="list_revision_comments",
)
def comments(request: HttpRequest, slug: Key, number: Id) -> list[RevisionCommentOut]:
    """A revision's comments, oldest first."""
    page = queries.revision_page(actor(request), slug, number)
    return [
        RevisionCommentOut(id=c.id, author=c.author, body=c.body, at=c.at, mine=c.mine)
        for c in page.comments or []
    ]


@router.post(
    "/{slug}/revisions/{number}/comments",
    response={201: RevisionCommentOut, **WRITE_ERRORS},
    url_name="api-document-comment",
    operation_id="comment_on_revision",
)
def comment(
    request: HttpRequest, slug: Key, number: Id, payload: RevisionCommentIn
) -> tuple[int, RevisionCommentOut]:
    """Comment on a revision (members)."""
    made = services.comment_on_revision(actor(request), slug, number, payload)
    page = queries.revision_page(actor(request), slug, number)
    c = next(c for c in page.comments or [] if c.id == made.pk)
    return 201, RevisionCommentOut(id=c.id, author=c.author, body=c.body, at=c.at, mine=c.mine)


class DiffQuery(Schema):
    from_: Id | None = Field(None, alias="from", description="Default: the one before `to`.")
    to: Id | None = Field(None, description="Default: the current revision.")


@router.get(
    "/{slug}/diff",
    response={200: DiffOut, **READ_ERRORS},
    url_name="api-document-diff",
    operation_id="diff_document",
)
def diff(request: HttpRequest, slug: Key, revisions: Query[DiffQuery]) -> DiffOut:
    """What changed, word by word, between two revisions (by default the last change)."""
    found = queries.diff_page(slug, revisions.from_, revisions.to)
    return DiffOut(
        from_revision=found.old.number,
        to_revision=found.new.number,
        added_words=found.added,
        removed_words=found.removed,
        pieces=[PieceOut(kind=p.kind, text=p.text) for p in found.pieces],
    )


@router.post(
    "/{slug}/proposals",
    response={201: ChangeDetailOut, **WRITE_ERRORS},
    url_name="api-document-propose",
    operation_id="propose_change",
)
def propose(request: HttpRequest, slug: Key, payload: ChangeIn) -> tuple[int, ChangeDetailOut]:
    """Propose a new text for a document (any member)."""
    made = services.propose_change(actor(request), slug, payload)
    return 201, _change(request, slug, made.pk)


@router.get(
    "/{slug}/proposals/{proposal_id}",
    response={200: ChangeDetailOut, **READ_ERRORS},
    url_name="api-document-proposal",
    operation_id="get_proposed_change",
)
def proposal(request: HttpRequest, slug: Key, proposal_id: Id) -> ChangeDetailOut:
    """A proposed change with its text (members)."""
    return _change(request, slug, proposal_id)


@router.post(
    "/{slug}/proposals/{proposal_id}/accept",
    response={200: ChangeDetailOut, **WRITE_ERRORS},
    url_name="api-document-accept",
    operation_id="accept_change",
)
def accept(request: HttpRequest, slug: Key, proposal_id: Id) -> ChangeDetailOut:
    """Accept a change to a document that is not governed (its owners)."""
    services.accept_change(actor(request), slug, proposal_id)
    return _change(request, slug, proposal_id)


@router.post(
    "/{slug}/proposals/{proposal_id}/decline",
    response={200: ChangeDetailOut, **WRITE_ERRORS},
    url_name="api-document-decline",
    operation_id="decline_change",
)
def decline(
    request: HttpRequest, slug: Key, proposal_id: Id, payload: DeclineIn
) -> ChangeDetailOut:
    """Decline a change, saying why (its owners)."""
    services.decline_change(actor(request), slug, proposal_id, payload)
    return _change(request, slug, proposal_id)


@router.post(
    "/{slug}/proposals/{proposal_id}/decision",
    response={200: ChangeDetailOut, **WRITE_ERRORS},
    url_name="api-document-decision",
    operation_id="put_change_to_decision",
)
def put_to_decision(
    request: HttpRequest, slug: Key, proposal_id: Id, payload: ChangeDecisionIn
) -> ChangeDetailOut:
    """Draft a consent decision on a change and link it (its owners)."""
    services.put_change_to_decision(actor(request), slug, proposal_id, payload)
    return _change(request, slug, proposal_id)


@router.post(
    "/{slug}/proposals/{proposal_id}/adopt",
    response={200: ChangeDetailOut, **WRITE_ERRORS},
    url_name="api-document-adopt",
    operation_id="adopt_change",
)
def adopt(request: HttpRequest, slug: Key, proposal_id: Id) -> ChangeDetailOut:
    """Adopt a change whose decision has closed and passed (its owners)."""
    services.adopt_change(actor(request), slug, proposal_id)
    return _change(request, slug, proposal_id)
