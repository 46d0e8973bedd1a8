"""URLs of bench_settings: the application's, and ``bench/bare/<pk>/``, the least a Django
view on this stack does — read one person's row by primary key and answer a few bytes.

It runs behind the whole middleware (session, user, language, second factor, audit context,
session limits, axes) like every page, but checks no permission, writes no audit entry and
renders no template: the yardstick of bench/person_page.py.
"""

from django.http import Http404, HttpResponse
from django.urls import path

from config.urls import handler403, handler404  # noqa: F401
from config.urls import urlpatterns as application
from gops.people.models import Person


def bare(request, pk: int) -> HttpResponse:
    row = Person.objects.filter(pk=pk).values_list("id", "surnames").first()
    if row is None:
        raise Http404
    return HttpResponse(f"{row[0]} {row[1]}", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/bare/<int:pk>/", bare, name="bench_bare"), *application]
