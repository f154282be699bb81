"""Reads about living documents, shaped for the pages, the API and the command line.

Documents, their revisions and the differences between them are public. Authors are named
only where `accord.people.visibility` lets the reader see them (never to the public), else
"a member". Comments and proposals are the members' own conversation: only members read
them.
"""

from dataclasses import dataclass
from datetime import datetime

from accord.domain import living_documents as text
from accord.domain.errors import NotFound
from accord.governance import documents_permissions as permissions
from accord.governance.models import ChangeStatus, Document, ProposedChange, Revision
from accord.people.models import Member
from accord.people.visibility import Sight, named_among

A_MEMBER = "a member"


def _names(viewer: Member | None, people: dict[int, Member | None]) -> dict[int, str]:
    """Each row's person as `viewer` may see them (keyed by row id)."""
    shown = named_among(viewer, {m.pk for m in people.values() if m is not None}, Sight.PROFILE)
    return {
        row: m.display_name if m is not None and m.pk in shown else A_MEMBER
        for row, m in people.items()
    }


@dataclass(frozen=True)
class RevisionLine:
    revision: Revision
    author: str

    @property
    def readability(self) -> text.Readability | None:
        return text.readability(self.revision.body)


@dataclass(frozen=True)
class DocumentLine:
    document: Document
    current: Revision


def _current(document: Document) -> Revision:
    return document.revisions.order_by("-number").first()  # type: ignore[return-value]


def list_documents(kind: str | None = None) -> list[DocumentLine]:
    """Every document with its current revision, by title (public)."""
    docs = Document.objects.select_related("group")
    if kind:
        docs = docs.filter(kind=kind)
    latest: dict[int, Revision] = {}
    for r in Revision.objects.filter(document__in=docs).order_by("document", "number"):
        latest[r.document_id] = r
    return [DocumentLine(d, latest[d.pk]) for d in docs if d.pk in latest]


@dataclass(frozen=True)
class ChangeLine:
    change: ProposedChange
    proposer: str
    stale: bool
    current: int  # the document's current revision number

    @property
    def settled(self) -> bool:
        return self.change.status not in (ChangeStatus.OPEN, ChangeStatus.PUT_TO_DECISION)


@dataclass(frozen=True)
class DocumentPage:
    document: Document
    current: RevisionLine
    history: list[RevisionLine]
    proposals: list[ChangeLine] | None  # None: the reader is not a member
    may_own: bool
    may_take_part: bool


def _document(slug: str) -> Document:
    found = Document.objects.select_related("group").filter(slug=slug).first()
    if found is None:
        raise NotFound(f"No document {slug!r}.")
    return found


def _history(viewer: Member | None, document: Document) -> list[RevisionLine]:
    rows = list(document.revisions.select_related("author").order_by("-number"))
    names = _names(viewer, {r.pk: r.author for r in rows})
    return [RevisionLine(r, names[r.pk]) for r in rows]


def _changes(viewer: Member | None, rows: list[ProposedChange], current: int) -> list[ChangeLine]:
    names = _names(viewer, {c.pk: c.proposer for c in rows})
    return [
        ChangeLine(
            c, names[c.pk], c.status == ChangeStatus.OPEN and c.base.number != current, current
        )
        for c in rows
    ]


def document_page(viewer: Member | None, slug: str) -> DocumentPage:
    """A document: its current text, its history and (for members) the proposed changes."""
    document = _document(slug)
    history = _history(viewer, document)
    member = permissions.can_take_part(viewer)
    proposals = None
    if member:
        rows = list(document.proposals.select_related("proposer", "base", "revision", "document"))
        proposals = _changes(viewer, rows, history[0].revision.number)
    return DocumentPage(
        document=document,
        current=history[0],
        history=history,
        proposals=proposals,
        may_own=permissions.owns(viewer, document),
        may_take_part=member,
    )


@dataclass(frozen=True)
class CommentLine:
    id: int
    author: str
    body: str
    at: datetime
    mine: bool


@dataclass(frozen=True)
class RevisionPage:
    document: Document
    line: RevisionLine
    latest: int
    comments: list[CommentLine] | None  # None: the reader is not a member
    may_comment: bool


def revision_page(viewer: Member | None, slug: str, number: int) -> RevisionPage:
    """One revision's text and score, and (for members) its comments."""
    document = _document(slug)
    found = document.revisions.select_related("author").filter(number=number).first()
    if found is None:
        raise NotFound(f"No revision {number} of document {slug!r}.")
    member = permissions.can_take_part(viewer)
    comments = None
    if member:
        rows = list(found.comments.select_related("author"))
        names = _names(viewer, {c.pk: c.author for c in rows})
        comments = [
            CommentLine(c.pk, names[c.pk], c.body, c.at, viewer is not None and c.author == viewer)
            for c in rows
        ]
    return RevisionPage(
        document=document,
        line=RevisionLine(found, _names(viewer, {found.pk: found.author})[found.pk]),
        latest=_current(document).number,
        comments=comments,
        may_comment=member,
    )


@dataclass(frozen=True)
class Diff:
    document: Document
    old: Revision
    new: Revision
    pieces: tuple[text.Piece, ...]
    added: int
    removed: int
    numbers: list[int]  # every revision number, for choosing others


def diff_page(slug: str, old: int | None, new: int | None) -> Diff:
    """What changed from revision `old` to `new` (by default: the one before the current,
    and the current)."""
    document = _document(slug)
    revisions = {r.number: r for r in document.revisions.all()}
    latest = max(revisions)
    new = latest if new is None else new
    old = max(1, new - 1) if old is None else old
    for n in (old, new):
        if n not in revisions:
            raise NotFound(f"No revision {n} of document {slug!r}.")
    pieces = text.diff(revisions[old].body, revisions[new].body)
    added, removed = text.changes(pieces)
    return Diff(
        document, revisions[old], revisions[new], pieces, added, removed, sorted(revisions)
    )


@dataclass(frozen=True)
class ChangePage:
    line: ChangeLine
    pieces: tuple[text.Piece, ...]
    added: int
    removed: int
    readability: text.Readability | None
    base_readability: text.Readability | None
    may_own: bool


def change_page(viewer: Member | None, slug: str, proposal_id: int) -> ChangePage:
    """A proposed change (members only): what it changes from the revision it was written
    on, and its score beside that revision's."""
    if not permissions.can_take_part(viewer):
        raise NotFound(f"No proposed change {proposal_id}.")
    document = _document(slug)
    found = (
        ProposedChange.objects.select_related("proposer", "base", "revision", "decision")
        .filter(pk=proposal_id, document=document)
        .first()
    )
    if found is None:
        raise NotFound(f"No proposed change {proposal_id}.")
    found.document = document
    line = _changes(viewer, [found], _current(document).number)[0]
    pieces = text.diff(found.base.body, found.body)
    added, removed = text.changes(pieces)
    return ChangePage(
        line=line,
        pieces=pieces,
        added=added,
        removed=removed,
        readability=text.readability(found.body),
        base_readability=text.readability(found.base.body),
        may_own=permissions.owns(viewer, document),
    )
