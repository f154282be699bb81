from django.contrib.admin.apps import AdminConfig


class AccordAdminConfig(AdminConfig):
    """Django admin, open to stewards only."""

    default_site = "accord.people.admin_site.StewardAdminSite"
