"""The project's URLs with the reports app mounted as the project will mount it (at
"raporty/", its API router on /api/v1/), whether or not config.urls and gops.api do so yet.

Until gops.api.api adds the reports router, the tests serve it from an API of their own with
the project API's authentication and error handlers, under the same namespace ("api")."""

from django.urls import include, path
from ninja import NinjaAPI

from config.urls import urlpatterns as project_urlpatterns
from gops.api.api import BearerToken, api
from gops.reports.api import router

if any(mounted is router for _prefix, mounted in api._routers):
    reports_api = api
else:
    reports_api = NinjaAPI(
        title="GOPS API (reports tests)",
        version="test-reports",
        auth=BearerToken(),
        urls_namespace="api",
    )
    reports_api._exception_handlers.update(api._exception_handlers)
    reports_api.add_router("/", router)

urlpatterns = [p for p in project_urlpatterns if str(p.pattern) not in ("api/v1/", "raporty/")] + [
    path("raporty/", include("gops.reports.urls")),
    path("api/v1/", reports_api.urls),
]
