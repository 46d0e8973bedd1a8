"""The project's URLs plus the data protection pages, until config/urls.py includes them."""

from django.urls import include, path

from config import urls as project_urls

urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "dataprotection" for p in urlpatterns):
    urlpatterns.append(path("ochrona-danych/", include("gops.dataprotection.urls")))
handler403 = project_urls.handler403
handler404 = project_urls.handler404
URLCONF = __name__
