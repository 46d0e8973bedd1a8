from django.urls import path

from . import views

app_name = "integration"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("cudzoziemcy/", views.foreigners, name="foreigners"),
    path("program/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("program/<int:pk>/edycja/", views.programme_edit, name="programme_edit"),
    path(
        "program/<int:pk>/wniosek/", views.programme_link_application, name="programme_application"
    ),
    path("program/<int:pk>/rozpoczecie/", views.programme_activate, name="programme_activate"),
    path("program/<int:pk>/zamkniecie/", views.programme_close, name="programme_close"),
    path("program/<int:pk>/decyzja/", views.programme_decision, name="programme_decision"),
    path("program/<int:pk>/cel/", views.goal_add, name="goal_add"),
    path(
        "program/<int:pk>/cel/<int:goal_pk>/osiagniety/", views.goal_achieved, name="goal_achieved"
    ),
    path("program/<int:pk>/cel/<int:goal_pk>/krok/", views.step_add, name="step_add"),
    path("program/<int:pk>/krok/<int:step_pk>/wykonany/", views.step_done, name="step_done"),
    path("program/<int:pk>/ocena/", views.review_add, name="review_add"),
    path("osoba/<int:person_pk>/program/", views.programme_create, name="programme_create"),
    path("osoba/<int:person_pk>/pismo/", views.letter, name="letter"),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
