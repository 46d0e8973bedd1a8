"""The project's URLs with the dashboards mounted at pulpit/, whether or not config/urls.py
includes them yet."""

from django.urls import include, path

from config import urls as project_urls

urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "dashboards" for p in urlpatterns):
    urlpatterns.append(path("pulpit/", include("gops.dashboards.urls")))
handler403 = project_urls.handler403
handler404 = project_urls.handler404
URLCONF = __name__
