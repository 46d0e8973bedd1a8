from django.urls import path

from . import views

app_name = "bluecards"

urlpatterns = [
    path("", views.card_list, name="list"),
    path("eksport.csv", views.card_export, name="export"),
    path("nowa/", views.card_create, name="create"),
    path("<int:pk>/", views.card_detail, name="detail"),
    path("<int:pk>/edycja/", views.card_edit, name="edit"),
    path("<int:pk>/osoby/dodaj/", views.participant_add, name="participant_add"),
    path("<int:pk>/formularze/nowy/", views.form_add, name="form_add"),
    path("<int:pk>/czlonkowie/dodaj/", views.member_add, name="member_add"),
    path("<int:pk>/czlonkowie/<int:member_pk>/usun/", views.member_remove, name="member_remove"),
    path("<int:pk>/spotkania/nowe/", views.meeting_plan, name="meeting_plan"),
    path("<int:pk>/spotkania/odbyte/", views.meeting_held, name="meeting_held"),
    path("<int:pk>/spotkania/<int:meeting_pk>/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/zamkniecie/", views.card_close, name="close"),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
