from django.urls import path

from accord.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/mine/", views.mine, name="mine"),
    path("partners/<slug:slug>/", views.detail, name="detail"),
    path("partners/<slug:slug>/manage/", views.manage, name="manage"),
    path("partners/<slug:slug>/representatives/", views.appoint, name="appoint"),
    path(
        "partners/<slug:slug>/representatives/<str:pseudonym>/remove/",
        views.remove,
        name="remove_representative",
    ),
    # -- offerings ---
    path("offerings/", views.offerings, name="offerings"),
    path("offerings/<int:offering_id>/", views.offering, name="offering"),
    path("offerings/<int:offering_id>/claim/", views.claim_offering, name="claim_offering"),
    path(
        "offerings/<int:offering_id>/claim/withdraw/", views.withdraw_claim, name="withdraw_claim"
    ),
    path("offerings/<int:offering_id>/review/", views.review_offering, name="review_offering"),
    path(
        "offerings/<int:offering_id>/review/withdraw/",
        views.withdraw_review,
        name="withdraw_review",
    ),
    path("offerings/<int:offering_id>/close/", views.close_offering, name="close_offering"),
    path("partners/<slug:slug>/uptake/", views.uptake, name="uptake"),
]
