from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("kalendarz/", views.activity_calendar, name="calendar"),
    path("kalendarz.ics", views.ical_feed, name="ical"),
    path("nowe/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/zapis/", views.registration_create, name="register"),
    path(
        "<int:pk>/zapis/<int:registration_pk>/rezygnacja/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("spotkanie/<int:session_pk>/obecnosc/", views.attendance, name="attendance"),
    path("spotkanie/<int:session_pk>/lista/", views.attendance_print, name="attendance_print"),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
