from django.urls import path

from . import views

app_name = "shelter"

urlpatterns = [
    path("", views.board, name="board"),
    path("umiesc/", views.place, name="place"),
    path("lista-na-noc/", views.night_list, name="night_list"),
    path("nieobecni/", views.not_seen, name="not_seen"),
    path("obiekt/nowy/", views.facility_create, name="facility_create"),
    path("obiekt/<int:pk>/", views.facility_detail, name="facility_detail"),
    path("obiekt/<int:pk>/edycja/", views.facility_edit, name="facility_edit"),
    path("obiekt/<int:pk>/miejsce/", views.bed_add, name="bed_add"),
    path("obiekt/<int:pk>/liczenie/", views.night_count, name="night_count"),
    path("lozko/<int:pk>/wylaczenie/", views.bed_out_of_use, name="bed_out_of_use"),
    path("pobyt/<int:pk>/wymeldowanie/", views.placement_checkout, name="placement_checkout"),
    path("finanse/", views.money, name="money"),
    path("finanse/zwroty-gmin.csv", views.claims_csv, name="claims_csv"),
    path("osoba/<int:person_pk>/", views.person_history, name="person_history"),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
    path("osoba/<int:person_pk>/program/", views.exit_plan_create, name="exit_plan_create"),
    path("program/<int:pk>/", views.exit_plan_detail, name="exit_plan_detail"),
    path("program/<int:pk>/zakonczenie/", views.exit_plan_close, name="exit_plan_close"),
]
