from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("nowa/", views.person_create, name="person_create"),
    path("import/", views.person_import, name="person_import"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edycja/", views.person_edit, name="person_edit"),
    path("<int:pk>/dochody/nowy/", views.income_create, name="income_create"),
    path("<int:pk>/dochody/<int:income_pk>/usun/", views.income_delete, name="income_delete"),
    path("<int:pk>/gospodarstwo/nowe/", views.household_create, name="household_create"),
    path("gospodarstwa/<int:pk>/", views.household_detail, name="household_detail"),
    path("gospodarstwa/<int:pk>/edycja/", views.household_edit, name="household_edit"),
    path(
        "gospodarstwa/<int:pk>/szukaj/",
        views.household_member_search,
        name="household_member_search",
    ),
    path("gospodarstwa/<int:pk>/dodaj/", views.household_member_add, name="household_member_add"),
    path(
        "gospodarstwa/<int:pk>/czlonkowie/<int:membership_pk>/koniec/",
        views.household_member_end,
        name="household_member_end",
    ),
]
