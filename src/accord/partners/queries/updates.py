"""The updates channel: an agreement's updates with their newest comments."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from accord.domain.errors import NotFound
from accord.partners import permissions
from accord.partners.models import Agreement, Update, UpdateComment
from accord.people.models import Member
from accord.people.visibility import Sight, named_among

A_MEMBER = "a member"
UPDATES_SHOWN = 50  # the newest updates on a page; older ones stay in the API's pages


@dataclass(frozen=True)
class Comment:
    """A comment as one reader sees it: its author named only where `may()` lets them."""

    id: int
    author: str
    body: str
    at: datetime
    mine: bool
    removable: bool


@dataclass(frozen=True)
class UpdateView:
    update: Update
    author: str
    comments: list[Comment] | None  # None: signed-out readers see the updates only
    earlier: int = 0  # older comments not shown (beyond the newest COMMENTS_SHOWN)


COMMENTS_SHOWN = 50  # the newest comments of each update shown; the count of the rest


def updates_of(
    viewer: Member | None, agreement: Agreement, *, limit: int = UPDATES_SHOWN
) -> list[UpdateView]:
    """A partnership's updates, newest first, for anyone; their comments for signed-in
    readers, each author named where the reader may see their profile, else "a member"."""
    return _views(viewer, list(agreement.updates.select_related("author")[:limit]))


def update_view(viewer: Member | None, update_id: int) -> UpdateView:
    update = Update.objects.select_related("author").filter(pk=update_id).first()
    if update is None:
        raise NotFound(f"No update {update_id}.")
    return _views(viewer, [update])[0]


def _views(viewer: Member | None, updates: list[Update]) -> list[UpdateView]:
    comments: dict[int, list[UpdateComment]] = {u.pk: [] for u in updates}
    of: dict[int, int] = {}
    if viewer is not None:
        rows = (
            UpdateComment.objects.filter(update__in=updates)
            .select_related("author")
            .annotate(
                newest=Window(
                    RowNumber(),
                    partition_by=[F("update_id")],
                    order_by=[F("at").desc(), F("pk").desc()],
                ),
                of=Window(Count("pk"), partition_by=[F("update_id")]),
            )
            .filter(newest__lte=COMMENTS_SHOWN)
            .order_by("at", "pk")
        )
        for comment in rows:
            comments[comment.update_id].append(comment)
            of[comment.update_id] = comment.of
    shown = named_among(
        viewer, {c.author_id for cs in comments.values() for c in cs}, Sight.PROFILE
    )
    moderates = permissions.can_manage_partners(viewer)
    return [
        UpdateView(
            update=u,
            author=u.author.pseudonym,
            comments=None
            if viewer is None
            else [
                Comment(
                    id=c.pk,
                    author=c.author.display_name if c.author_id in shown else A_MEMBER,
                    body=c.body,
                    at=c.at,
                    mine=c.author_id == viewer.pk,
                    removable=c.author_id == viewer.pk or moderates,
                )
                for c in comments[u.pk]
            ],
            earlier=of.get(u.pk, 0) - len(comments[u.pk]),
        )
        for u in updates
    ]
