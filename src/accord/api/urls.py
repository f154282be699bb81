from django.urls import path

from accord.api import views

app_name = "tokens"

urlpatterns = [
    path("me/tokens/", views.tokens, name="list"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
