"""Indexes for the registry's search page on PostgreSQL (people.selectors.SearchResults).

- ``person_name_order_idx``: the persons of a centre in name order by bytes (``COLLATE "C"``,
  whatever the database's collation: it also answers ``LIKE 'prefix%'``), so that the first
  page of a surname prefix, or of any search sorted by name, is read in order from the index
  and stops at the end of the page instead of sorting every match (62,345 rows for "mar" in a
  city of 1,000,000 persons).
- ``person_double_surname_idx``: the rotated surnames of double surnames only (folded with a
  space: ``surnames_search LIKE '% %'``, a few in a hundred persons): for every other person
  they equal the surnames, which the first index already finds. The search asks for exactly
  this condition, so PostgreSQL uses this index and knows how few rows it holds.

SQLite (a small centre) needs neither: the search runs there as one query, and the models'
indexes serve it. The indexes are not in the models' Meta: a partial index over two columns
and columns with a collation of their own are PostgreSQL's alone.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS person_name_order_idx ON people_person "
    '(centre_id, surnames_search COLLATE "C", first_names_search COLLATE "C", id)',
    "CREATE INDEX IF NOT EXISTS person_double_surname_idx ON people_person "
    '(centre_id, surnames_alt_search COLLATE "C") '
    "WHERE surnames_search LIKE '% %'",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_double_surname_idx",
    "DROP INDEX IF EXISTS person_name_order_idx",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)  # no placeholders in LIKE '% %'


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_encrypt_restricted_notes")]

    operations = [migrations.RunPython(forward, backward)]
