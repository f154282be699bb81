from django.urls import path

from accord.ledger import views

app_name = "ledger"

urlpatterns = [
    path("ledger/", views.ledger, name="entries"),
    path("ledger/entries/<int:seq>/", views.entry, name="entry"),
    path("ledger/entries/<int:seq>/receipt.json", views.receipt_json, name="receipt"),
    path("ledger/heads/", views.heads, name="heads"),
    path("ledger/heads.json", views.heads_json, name="heads_json"),
    path("ledger/heads.atom", views.heads_atom, name="heads_atom"),
    path("ledger/key", views.key, name="key"),
]
