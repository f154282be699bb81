from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "accord.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from accord.web import checks  # noqa: F401, PLC0415 - registers the deploy checks
