"""The audit trail through the API: its filters are validated as documented."""

import pytest

from gops.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_a_date_filter_given_as_a_number_is_422_not_the_year_1970(english_messages, client, head):
    # Found by Schemathesis: ?date_to=0 was read as a Unix timestamp and answered 200.
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=head)}"}
    response = client.get("/api/v1/audit?date_to=0", **auth)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "date_to", "message": "Enter a valid date (YYYY-MM-DD)."}
    ]
    assert client.get("/api/v1/audit?date_to=2026-11-26", **auth).status_code == 200
