from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.payroll_list, name="payroll_list"),
    path("<int:pk>/", views.payroll_detail, name="payroll_detail"),
    path("<int:pk>/zatwierdzenie/", views.payroll_approve, name="payroll_approve"),
    path("<int:pk>/przelewy.xml", views.payroll_bank_file, name="payroll_bank_file"),
    path("<int:pk>/lista-kasowa.pdf", views.payroll_cash_list, name="payroll_cash_list"),
    path("<int:pk>/lista.xlsx", views.payroll_xlsx, name="payroll_xlsx"),
    path("wyplata/<int:pk>/wynik/", views.payment_outcome, name="payment_outcome"),
    path("pozycja/<int:pk>/rachunek/", views.item_correct_account, name="item_correct_account"),
    path("decyzja/<int:decision_pk>/", views.decision_panel, name="decision_panel"),
    path("decyzja/<int:decision_pk>/pilna/", views.urgent_payment, name="urgent_payment"),
    path("osoba/<int:person_pk>/", views.person_history, name="person_history"),
    path("osoba/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
