from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "accord.benefits"
    label = "benefits"
    verbose_name = "Benefits"
