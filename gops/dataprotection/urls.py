from django.urls import path

from . import views

app_name = "dataprotection"

urlpatterns = [
    path("osoba/<int:person_pk>/dostep-do-danych/", views.access_report, name="access_report"),
    path(
        "osoba/<int:person_pk>/anonimizacja/",
        views.anonymisation_request,
        name="anonymisation_request",
    ),
    path("anonimizacja/<int:pk>/decyzja/", views.anonymisation_decide, name="anonymisation_decide"),
    path("retencja/", views.retention, name="retention"),
    path("rejestr/", views.register, name="register"),
    path("rejestr/pdf/", views.register_pdf, name="register_pdf"),
]
