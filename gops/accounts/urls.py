from django.urls import path

from . import views

app_name = "accounts"

# No self-service password reset: an administrator sets a temporary password in the admin,
# and the user changes it at the next sign-in (docs/admin/bezpieczenstwo.md).
urlpatterns = [
    path("logowanie/", views.LoginView.as_view(), name="login"),
    path("wyloguj/", views.LogoutView.as_view(), name="logout"),
    path("wyloguj-wszedzie/", views.logout_everywhere, name="logout_everywhere"),
    path("profil/", views.profile, name="profile"),
    path("haslo/", views.PasswordChangeView.as_view(), name="password_change"),
    path("weryfikacja/", views.otp_verify, name="otp_verify"),
    path("weryfikacja/wlacz/", views.otp_enrol, name="otp_enrol"),
    path("weryfikacja/wylacz/", views.otp_remove, name="otp_remove"),
]
