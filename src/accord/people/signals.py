"""A new password revokes every API token of the member, whichever door changed it (a
sign-in form, a reset link, the command line)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from accord.people.models import Member
from accord.people.queries import group_counts_changed
from accord.people.search_index import keep_triggers
from accord.people.services import revoke_tokens_of


def revoke_tokens_on_new_password(
    sender: type[AbstractBaseUser], instance: AbstractBaseUser, created: bool, **kwargs: Any
) -> None:
    # `set_password` keeps the new raw password in `_password` until the save completes;
    # that is Django's own "the password changed" marker (it calls `password_changed`).
    if created or getattr(instance, "_password", None) is None:
        return
    member_id = Member.objects.filter(user_id=instance.pk).values_list("pk", flat=True).first()
    if member_id is not None:
        revoke_tokens_of(member_id, "password changed")


def recount_on_verified_address(**kwargs: Any) -> None:
    """A verified address can put a member in the directory: group pages count again."""
    group_counts_changed()


def keep_search_triggers(using: str = "default", **kwargs: Any) -> None:
    """After every migrate: the member search table's triggers are all there."""
    keep_triggers(using)
