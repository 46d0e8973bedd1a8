"""Encrypt the attendees written in plain text before 0002 made the column encrypted (0002
changed only the field: rows already there stayed plain, which the library reads through).

Reversing leaves them encrypted: the column is still an encrypted one in 0002.
"""

from django.db import migrations

from gops.core.encryption import encrypt_plain_values


class Migration(migrations.Migration):
    dependencies = [
        ("bluecards", "0002_meeting_attendees_encrypted"),
    ]

    operations = [
        migrations.RunPython(
            encrypt_plain_values("bluecards.BlueCardMeeting", ["attendees"]).code,
            migrations.RunPython.noop,
        ),
    ]
