from django.contrib import admin
from django.urls import include, path

from gops.accounts.views import home
from gops.api.api import api

urlpatterns = [
    path("", home, name="home"),
    path("konto/", include("gops.accounts.urls")),
    path("osoby/", include("gops.people.urls")),
    path("sprawy/", include("gops.cases.urls")),
    path("decyzje/", include("gops.benefits.urls")),
    path("wyplaty/", include("gops.payments.urls")),
    path("finanse/", include("gops.payments.urls_finance")),
    path("poradnictwo/", include("gops.referrals.urls")),
    path("zajecia/", include("gops.activities.urls")),
    path("audyt/", include("gops.audit.urls")),
    path("schronienie/", include("gops.shelter.urls")),
    path("rodziny/", include("gops.families.urls")),
    path("niebieska-karta/", include("gops.bluecards.urls")),
    path("integracja/", include("gops.integration.urls")),
    path("zadania/", include("gops.jobs.urls")),
    path("ochrona-danych/", include("gops.dataprotection.urls")),
    path("pulpit/", include("gops.dashboards.urls")),
    path("raporty/", include("gops.reports.urls")),
    path("zagrozeni/", include("gops.atrisk.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "GOPS — administracja"
admin.site.site_title = "GOPS"

handler403 = "gops.core.views.forbidden"
handler404 = "gops.core.views.not_found"
