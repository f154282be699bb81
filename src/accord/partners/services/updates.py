"""The updates channel: an agreement's updates and members' comments on them."""

from django.db import transaction

from accord.domain.errors import Forbidden, NotFound
from accord.domain.text import required
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import Update, UpdateComment
from accord.partners.schemas import CommentIn, UpdateIn
from accord.partners.services._common import _agreement, _agreement_subject
from accord.people.models import Member


def _text(text: str, what: str) -> str:
    return required(text, f"{what} is empty: write something to post.")


def post_update(actor: Member, agreement_id: int, data: UpdateIn) -> Update:
    """A steward (for the community) or one of the partner's own representatives (for the
    partner) posts an update on the partnership's page. Both act in office: the ledger
    names them by handle and keeps only a hash of what they wrote."""
    body = _text(data.body, "The update")
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        side = permissions.side_of(actor, agreement.partner)
        if side is None:
            raise Forbidden("Only stewards and this partner's representatives post updates.")
        update = Update.objects.create(agreement=agreement, author=actor, side=side, body=body)
        ledger.append(
            "agreement.update",
            actor.pseudonym,
            _agreement_subject(agreement),
            {"update": update.pk, "side": side, "body_sha256": ledger.note(body)},
        )
    return update


def comment_on_update(
    actor: Member, update_id: int, data: CommentIn, *, agreement_id: int | None = None
) -> UpdateComment:
    """A member comments on an update (of `agreement_id`'s partnership, when given: an
    update of another one is not found). A comment is the member's own words, not an act of
    office: it stays out of the ledger, and its author may withdraw it at any time."""
    if not permissions.can_comment(actor):
        raise Forbidden("Sign in to comment.")
    body = _text(data.body, "The comment")
    with transaction.atomic(durable=True):
        updates = Update.objects.filter(pk=update_id)
        if agreement_id is not None:
            updates = updates.filter(agreement_id=agreement_id)
        update = updates.first()
        if update is None:
            raise NotFound(f"No update {update_id}.")
        return UpdateComment.objects.create(update=update, author=actor, body=body)


def withdraw_comment(
    actor: Member, update_id: int, comment_id: int, *, agreement_id: int | None = None
) -> None:
    """The author takes their comment back; a steward may remove one that breaks the code
    of conduct. Nothing of it remains. With `agreement_id`, a comment on another
    partnership's update is not found."""
    with transaction.atomic(durable=True):
        comments = UpdateComment.objects.select_for_update()
        if agreement_id is not None:
            comments = comments.filter(update__agreement_id=agreement_id)
        comment = comments.filter(pk=comment_id, update_id=update_id).first()
        if comment is None:
            raise NotFound(f"No comment {comment_id}.")
        if comment.author_id != actor.pk and not permissions.can_manage_partners(actor):
            raise Forbidden("Only its author or a steward removes a comment.")
        comment.delete()
