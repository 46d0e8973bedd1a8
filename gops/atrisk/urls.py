from django.urls import path

from . import views

app_name = "atrisk"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("<int:pk>/obsluzone/", views.entry_handle, name="handle"),
    path("odswiez/", views.refresh, name="refresh"),
]
