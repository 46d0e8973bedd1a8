from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import LoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def home(request):
    """Start page: the areas this user works in."""
    user = request.user
    if user.has_perm("people.view_person"):
        return redirect("people:person_list")
    if user.has_perm("audit.view_auditentry"):
        return redirect("audit:entry_list")
    return render(request, "accounts/home.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.language)
        messages.success(request, _("Your settings have been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
