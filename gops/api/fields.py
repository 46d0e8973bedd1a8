"""Field types for the API's schemas and parameters, stricter than pydantic's defaults.

* ``ObjectId``: a primary key, 1 to 2⁶³−1 (BigAutoField; SQLite's INTEGER). A larger number can
  name no object, and SQLite cannot even compare it with a key: the query raised OverflowError
  (a 500) where it filtered a foreign key by it.
* ``IsoDate``: a date written YYYY-MM-DD, as the OpenAPI document says. Pydantic would also read
  a number, or a string of digits, as a Unix timestamp (``0`` became 1970-01-01) and a
  date-time at midnight as its date.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    # The error type the API's handler translates ("Enter a valid date (YYYY-MM-DD).").
    raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
