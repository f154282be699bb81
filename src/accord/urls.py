"""The site's URLs: pages, accounts, admin and the API."""

from django.contrib import admin
from django.urls import include, path

from accord.api.api import api

urlpatterns = [
    path("", include("accord.web.urls")),
    path("", include("accord.people.urls")),
    path("", include("accord.partners.urls")),
    path("", include("accord.ledger.urls")),
    path("", include("accord.contributions.urls")),
    path("", include("accord.benefits.urls")),
    path("", include("accord.governance.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
