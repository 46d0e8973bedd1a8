"""The former name of ``reencrypt_fields``, kept for the scripts and notes that use it.

It re-encrypts every encrypted column of the project, not only the Blue Card texts: once a
key is rotated, all of them must move to the new key. See docs/admin/klucze-szyfrowania.md.
"""

from gops.core.management.commands.reencrypt_fields import Command as ReencryptFields


class Command(ReencryptFields):
    help = "Former name of reencrypt_fields: " + ReencryptFields.help
