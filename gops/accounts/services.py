from django.db import transaction

from .models import ApiToken, User


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """Create a bearer token for `user` and return it; only its hash is stored."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), prefix=key[:8])
    return key


def api_token_authenticate(*, key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user
