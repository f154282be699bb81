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
]
