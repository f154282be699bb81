from django.apps import AppConfig

# Imported for its effect: it registers the deploy checks (it needs no models).
from accord.web import checks  # noqa: F401


class WebConfig(AppConfig):
    name = "accord.web"
    label = "web"
    verbose_name = "Web"
