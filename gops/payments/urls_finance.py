"""Finance pages: budget, debts of undue benefits, health contributions.

Included in config/urls.py as ``path("finanse/", include("gops.payments.urls_finance"))``.
"""

from django.urls import path

from . import views_finance as views

app_name = "finance"

urlpatterns = [
    path("budzet/", views.budget_overview, name="budget_overview"),
    path("budzet/decyzja/<int:decision_pk>/", views.budget_panel, name="budget_panel"),
    path("naleznosci/", views.debt_list, name="debt_list"),
    path("naleznosci/<int:pk>/", views.debt_detail, name="debt_detail"),
    path("naleznosci/<int:pk>/splata/", views.debt_repayment, name="debt_repayment"),
    path("naleznosci/<int:pk>/umorzenie/", views.debt_waive, name="debt_waive"),
    path("naleznosci/<int:pk>/potracenie/", views.debt_set_off, name="debt_set_off"),
    path("naleznosci/osoba/<int:person_pk>/nowa/", views.debt_create, name="debt_create"),
    path("skladki-zdrowotne/", views.contributions, name="contributions"),
    path("skladki-zdrowotne.csv", views.contributions_csv, name="contributions_csv"),
]
