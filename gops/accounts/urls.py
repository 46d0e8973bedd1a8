from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("logowanie/", views.LoginView.as_view(), name="login"),
    path("wyloguj/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("haslo/", views.PasswordChangeView.as_view(), name="password_change"),
]
