from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("instytucja/nowa/", views.institution_create, name="institution_create"),
    path("instytucja/import/", views.institution_import, name="institution_import"),
    path("instytucja/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("instytucja/<int:pk>/edycja/", views.institution_edit, name="institution_edit"),
    path("porada/", views.advice_log, name="advice_log"),
    path("skierowanie/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("skierowanie/<int:pk>/wynik/", views.referral_outcome, name="referral_outcome"),
    path("skierowanie/<int:pk>/pismo.pdf", views.referral_letter, name="referral_letter"),
    path("kontrole/", views.follow_ups, name="follow_ups"),
    path("aktywizacja/", views.activation, name="activation"),
    path("osoba/<int:person_pk>/skierowanie/", views.referral_create, name="referral_create"),
    path(
        "osoba/<int:person_pk>/profil-zawodowy/",
        views.employment_profile,
        name="employment_profile",
    ),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
