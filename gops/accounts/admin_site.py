"""The Django admin site, which also asks for the second factor.

AccountGateMiddleware already holds an unverified user at the code page on every URL; the
site checks again itself, so the admin stays closed even if the middleware were left out.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404


def _no_view_on_site(request, content_type_id, object_id):
    """Django's "view on site" shortcut redirects for any object id that exists, whoever asks,
    which tells staff which person ids exist. GOPS's admin links to no person page."""
    raise Http404


class GopsAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        from . import two_factor  # this module is imported while the apps load

        return super().has_permission(request) and two_factor.pending_step(request) is None

    def get_urls(self):
        urls = super().get_urls()
        for pattern in urls:
            if getattr(pattern, "name", None) == "view_on_site":
                pattern.callback = self.admin_view(_no_view_on_site)
        return urls


class GopsAdminConfig(AdminConfig):
    default_site = "gops.accounts.admin_site.GopsAdminSite"
