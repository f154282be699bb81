from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


class PeopleConfig(AppConfig):
    name = "accord.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # The receiver's module imports models, which exist only once the registry is ready.
        from accord.people.signals import revoke_tokens_on_new_password  # noqa: PLC0415

        post_save.connect(
            revoke_tokens_on_new_password,
            sender=get_user_model(),
            dispatch_uid="accord-revoke-tokens-on-new-password",
        )
