"""The project's URLs with this app's pages and API mounted, whether or not the project has
wired them yet: a separate API instance with the project's auth and error handlers."""

from django.urls import include, path
from ninja import NinjaAPI

from config import urls as project_urls
from gops.activities.api import router
from gops.api.api import BearerToken
from gops.api.api import api as project_api

test_api = NinjaAPI(auth=BearerToken(), urls_namespace="activities_test_api")
test_api._exception_handlers.update(project_api._exception_handlers)
test_api.add_router("/", router, url_name_prefix="activities_test")

urlpatterns = [
    path("api/v1/", test_api.urls),
    path("aktywnosci/", include("gops.activities.urls")),
    *project_urls.urlpatterns,
]
