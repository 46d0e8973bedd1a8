"""The project's URLs plus this app's pages and API, for tests that run before they are wired
into config/urls.py and gops/api."""

from django.urls import include, path
from ninja import NinjaAPI

from config import urls as project_urls
from gops.api.api import BearerToken
from gops.api.api import api as project_api
from gops.referrals.api import router

test_api = NinjaAPI(auth=BearerToken(), urls_namespace="referrals_test_api")
# The project's JSON errors (422 with field messages, 404, 403, 401).
test_api._exception_handlers.update(project_api._exception_handlers)
test_api.add_router("/", router)

_wired = any(getattr(p, "namespace", None) == "referrals" for p in project_urls.urlpatterns)

urlpatterns = [
    path("test-api/v1/", test_api.urls),
    *([] if _wired else [path("referrals/", include("gops.referrals.urls"))]),
    *project_urls.urlpatterns,
]
