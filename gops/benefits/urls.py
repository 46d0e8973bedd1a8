from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("terminy/", views.deadlines, name="deadlines"),
    path("rejestr/", views.decision_register, name="decision_register"),
    path("<int:pk>/zmiana/", views.decision_change, name="decision_change"),
    path("wniosek/<int:application_pk>/", views.application_panel, name="application_panel"),
    path("wniosek/<int:application_pk>/nowa/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/edycja/", views.decision_edit, name="decision_edit"),
    path("<int:pk>/podpis/", views.decision_issue, name="decision_issue"),
    path("<int:pk>/odrzucenie/", views.decision_discard, name="decision_discard"),
    path("<int:pk>/doreczenie/", views.decision_serve, name="decision_serve"),
    path("<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("<int:pk>/uslugi-opiekuncze/", views.care_hours_record, name="care_hours_record"),
    path("<int:pk>/odwolanie/", views.appeal_lodge, name="appeal_lodge"),
    path(
        "<int:pk>/odwolanie/<int:appeal_pk>/przekazanie/",
        views.appeal_forward,
        name="appeal_forward",
    ),
    path("<int:pk>/odwolanie/<int:appeal_pk>/wynik/", views.appeal_decide, name="appeal_decide"),
]
