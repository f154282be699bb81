from django.urls import path

from accord.benefits import views

app_name = "benefits"

urlpatterns = [
    path("benefits/", views.mine, name="mine"),
    path("benefits/statements/<int:pk>/", views.statement, name="statement"),
    path("benefits/statements/<int:pk>/choose/", views.choose, name="choose"),
    path("pools/", views.pools, name="pools"),
    path("pools/new/", views.new_pool, name="new_pool"),
    path("pools/<slug:slug>/", views.pool, name="pool"),
    path("pools/<slug:slug>/edit/", views.edit_pool, name="edit_pool"),
    path("pools/<slug:slug>/fund/", views.fund, name="fund"),
    path("pools/<slug:slug>/close/", views.close, name="close"),
    path("pools/<slug:slug>/approve/", views.approve, name="approve"),
    path("pools/<slug:slug>/commit/", views.commit, name="commit"),
    path("treasury/", views.treasury, name="treasury"),
    path("treasury/payouts.csv", views.payouts_csv, name="payouts_csv"),
    path("treasury/payouts/<int:pk>/paid/", views.mark_paid, name="mark_paid"),
]
