"""The project's URLs with this app mounted, for tests run before config.urls includes it."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "atrisk" for p in project_urlpatterns)

urlpatterns = [
    *project_urlpatterns,
    *([] if _mounted else [path("zagrozeni/", include("gops.atrisk.urls"))]),
]
