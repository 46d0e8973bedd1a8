from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("mrpips-03/", views.mrpips03, name="mrpips03"),
    path("mrpips-03/szczegoly/", views.mrpips03_detail, name="mrpips03_detail"),
    path("mrpips-03/csv/", views.mrpips03_csv, name="mrpips03_csv"),
]
