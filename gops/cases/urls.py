from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("nowy/<int:household_pk>/", views.application_create, name="application_create"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/wywiad/", views.interview_record, name="interview_record"),
    path("<int:pk>/zamkniecie/", views.application_close, name="application_close"),
    path("<int:pk>/notatka/", views.note_add, name="note_add"),
    path("osoba/<int:person_pk>/", views.person_panel, name="person_panel"),
    path("osoba/<int:person_pk>/kontrakt/", views.contract_create, name="contract_create"),
    path("kontrakty/<int:pk>/", views.contract_detail, name="contract_detail"),
]
