from django.urls import path

from accord.partners import agreement_views, body_views, export_views, views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/export.csv", export_views.partners_csv, name="partners_csv"),
    path("partners/mine/", views.mine, name="mine"),
    path("partners/<slug:slug>/", views.detail, name="detail"),
    path("partners/<slug:slug>/manage/", views.manage, name="manage"),
    path("partners/<slug:slug>/representatives/", views.appoint, name="appoint"),
    path(
        "partners/<slug:slug>/representatives/<str:pseudonym>/remove/",
        views.remove,
        name="remove_representative",
    ),
    path("partnerships/", agreement_views.agreement_list, name="agreements"),
    path("partnerships/export.csv", agreement_views.agreements_csv, name="agreements_csv"),
    path("partnerships/revenue/", views.revenue, name="revenue"),
    path("partnerships/revenue.csv", views.revenue_csv, name="revenue_csv"),
    path("partnerships/<int:agreement_id>/", agreement_views.agreement, name="agreement"),
    path(
        "partnerships/<int:agreement_id>/status/",
        agreement_views.change_status,
        name="agreement_status",
    ),
    path(
        "partnerships/<int:agreement_id>/maturity/",
        agreement_views.set_maturity,
        name="agreement_maturity",
    ),
    path(
        "partnerships/<int:agreement_id>/scores/", agreement_views.score, name="agreement_scores"
    ),
    path(
        "partnerships/<int:agreement_id>/values/",
        agreement_views.record_value,
        name="agreement_value",
    ),
    path(
        "partnerships/<int:agreement_id>/updates/",
        agreement_views.post_update,
        name="agreement_update",
    ),
    path(
        "partnerships/<int:agreement_id>/updates/<int:update_id>/comments/",
        agreement_views.comment_on_update,
        name="update_comment",
    ),
    path(
        "partnerships/<int:agreement_id>/updates/<int:update_id>/comments/<int:comment_id>/withdraw/",
        agreement_views.withdraw_comment,
        name="update_comment_withdraw",
    ),
    # -- the body's and the registers' forms, and the registers' exports ---
    path("partnerships/<int:agreement_id>/goals/", body_views.add_goal, name="agreement_goal"),
    path(
        "partnerships/<int:agreement_id>/readings/",
        body_views.record_reading,
        name="agreement_reading",
    ),
    path(
        "partnerships/<int:agreement_id>/commitments/",
        body_views.add_commitment,
        name="agreement_commitment",
    ),
    path(
        "partnerships/<int:agreement_id>/fulfilments/",
        body_views.record_fulfilment,
        name="agreement_fulfilment",
    ),
    path(
        "partnerships/<int:agreement_id>/pool-fundings/",
        body_views.fund_pool,
        name="agreement_pool_funding",
    ),
    path(
        "partnerships/<int:agreement_id>/review/",
        body_views.schedule_review,
        name="agreement_review",
    ),
    path(
        "partnerships/<int:agreement_id>/amendments/",
        body_views.amend_agreement,
        name="agreement_amend",
    ),
    path("partnerships/<int:agreement_id>/roles/", body_views.set_role, name="agreement_role"),
    path(
        "partnerships/<int:agreement_id>/documents/",
        body_views.attach_document,
        name="agreement_document",
    ),
    path("partnerships/<int:agreement_id>/risks/", body_views.add_risk, name="agreement_risk"),
    path(
        "partnerships/<int:agreement_id>/risks/<int:risk_id>/",
        body_views.update_risk,
        name="agreement_risk_update",
    ),
    path(
        "partnerships/<int:agreement_id>/risks.csv",
        export_views.risks_csv,
        name="agreement_risks_csv",
    ),
    path(
        "partnerships/<int:agreement_id>/disclosures/",
        body_views.disclose_interest,
        name="agreement_disclosure",
    ),
    path(
        "partnerships/<int:agreement_id>/disclosures/<int:disclosure_id>/close/",
        body_views.close_disclosure,
        name="agreement_disclosure_close",
    ),
    path(
        "partnerships/<int:agreement_id>/disclosures.csv",
        export_views.disclosures_csv,
        name="agreement_disclosures_csv",
    ),
    # -- offerings ---
    path("offerings/export.csv", export_views.offerings_csv, name="offerings_csv"),
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
    path("partners/<slug:slug>/uptake.csv", export_views.uptake_csv, name="uptake_csv"),
    # -- partner contacts ---
    path("partners/<slug:slug>/contacts/", views.add_contact, name="add_contact"),
    path(
        "partners/<slug:slug>/contacts/<int:contact_id>/remove/",
        views.remove_contact,
        name="remove_contact",
    ),
]
