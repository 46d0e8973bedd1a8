from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using, **kwargs):
    # post_migrate is sent once per app; permissions of every app exist only after the last.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is not with_models[-1]:
        return
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_roles

    sync_roles(Group.objects.db_manager(using), Permission.objects.db_manager(using))


def _mark_sign_in(sender, request, user, **kwargs):
    # Every login (the form, the admin's, force_login in tests) starts the session's clocks.
    from .sessions import session_mark_sign_in

    if request is not None:
        session_mark_sign_in(request=request, user=user)


class AccountsConfig(AppConfig):
    name = "gops.accounts"
    label = "accounts"
    verbose_name = _("Staff and centre")

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .backends import group_permissions_clear

        post_migrate.connect(_sync_roles, dispatch_uid="gops_sync_roles")
        # The per-process table of role permissions (backends.py) is read again after any
        # change to a group, a permission or a group's permissions.
        for signal in (post_save, post_delete):
            for model in (Group, Permission):
                signal.connect(group_permissions_clear, sender=model, weak=False)
        m2m_changed.connect(group_permissions_clear, sender=Group.permissions.through, weak=False)
        post_migrate.connect(group_permissions_clear, weak=False)
        user_logged_in.connect(_mark_sign_in, dispatch_uid="gops_mark_sign_in")
