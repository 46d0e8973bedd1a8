from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from gops.api.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="people:person_list"), name="home"),
    path("konto/", include("gops.accounts.urls")),
    path("osoby/", include("gops.people.urls")),
    path("audyt/", include("gops.audit.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
