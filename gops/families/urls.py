from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("", views.support_list, name="support_list"),
    path("<int:pk>/", views.support_detail, name="support_detail"),
    path("<int:pk>/plan/", views.plan_update, name="plan_update"),
    path("<int:pk>/plan/krok/", views.step_add, name="step_add"),
    path("<int:pk>/plan/krok/<int:step_pk>/", views.step_update, name="step_update"),
    path("<int:pk>/kontakt/", views.contact_add, name="contact_add"),
    path("<int:pk>/ocena/", views.assessment_record, name="assessment_record"),
    path("<int:pk>/dziecko/", views.child_save, name="child_save"),
    path("<int:pk>/wsparcie/", views.childcare_add, name="childcare_add"),
    path("<int:pk>/wsparcie/<int:item_pk>/", views.childcare_finish, name="childcare_finish"),
    path("<int:pk>/zamkniecie/", views.support_close, name="support_close"),
    path("<int:pk>/koniec-monitorowania/", views.monitoring_end, name="monitoring_end"),
    path("gospodarstwo/<int:household_pk>/panel/", views.household_panel, name="household_panel"),
    path("gospodarstwo/<int:household_pk>/asystent/", views.assign, name="assign"),
]
