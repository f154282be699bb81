from allauth.account.signals import email_confirmed
from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_migrate, post_save


class PeopleConfig(AppConfig):
    name = "accord.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # The receiver's module imports models, which exist only once the registry is ready.
        from accord.people.signals import (  # noqa: PLC0415
            keep_search_triggers,
            recount_on_verified_address,
            revoke_tokens_on_new_password,
        )

        post_save.connect(
            revoke_tokens_on_new_password,
            sender=get_user_model(),
            dispatch_uid="accord-revoke-tokens-on-new-password",
        )
        email_confirmed.connect(
            recount_on_verified_address, dispatch_uid="accord-recount-on-verified-address"
        )
        post_migrate.connect(
            keep_search_triggers, sender=self, dispatch_uid="accord-keep-search-triggers"
        )
