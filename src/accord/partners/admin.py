from django.contrib import admin

from accord.partners.models import Partner, Representative
from accord.people.admin_site import ReadOnlyAdmin, StewardAdmin


@admin.register(Partner)
class PartnerAdmin(StewardAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdmin):
    list_display = ["member", "partner", "since"]
