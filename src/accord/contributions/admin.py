from django.contrib import admin

from accord.contributions.models import Contribution, PolicyVersion
from accord.people.admin_site import StewardAdmin


@admin.register(Contribution)
class ContributionAdmin(StewardAdmin):
    list_display = ["title", "member", "kind", "date", "status", "impact"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "member__display_name"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(StewardAdmin):
    list_display = ["version", "effective_from", "published_by", "published_at"]
