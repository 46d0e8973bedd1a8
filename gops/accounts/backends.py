"""Django's model authentication, loading the signed-in user as every page needs them."""

from django.contrib.auth import backends

from .models import User


class ModelBackend(backends.ModelBackend):
    """ModelBackend whose signed-in user comes with their centre and their role groups: the
    header of every page shows both (base.html), and each was one more query per request."""

    def get_user(self, user_id):
        user = (
            User._default_manager.select_related("centre")
            .prefetch_related("groups")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
