from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "accord.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model  # noqa: PLC0415 - app registry ready
        from django.db.models.signals import post_save  # noqa: PLC0415

        from accord.people.signals import revoke_tokens_on_new_password  # noqa: PLC0415

        post_save.connect(
            revoke_tokens_on_new_password,
            sender=get_user_model(),
            dispatch_uid="accord-revoke-tokens-on-new-password",
        )
