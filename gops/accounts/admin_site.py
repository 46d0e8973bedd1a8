"""The Django admin site, which also asks for the second factor.

AccountGateMiddleware already holds an unverified user at the code page on every URL; the
site checks again itself, so the admin stays closed even if the middleware were left out.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class GopsAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        from . import two_factor  # this module is imported while the apps load

        return super().has_permission(request) and two_factor.pending_step(request) is None


class GopsAdminConfig(AdminConfig):
    default_site = "gops.accounts.admin_site.GopsAdminSite"
