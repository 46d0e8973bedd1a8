from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.head, name="head"),
    path("moj/", views.worker, name="worker"),
]
