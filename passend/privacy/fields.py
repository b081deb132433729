"""Model fields whose text is encrypted at rest (see passend.privacy.crypto).

They cannot be searched or ordered in SQL (each encryption is randomised); the empty string is
stored as is. Plaintext exists only in Python objects: never put these fields into audit data or
log messages.
"""

from __future__ import annotations

from django.db import models

from passend.privacy import crypto


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        # Only emptiness can be asked: any other comparison with random ciphertext is wrong.
        if lookup_name not in ("exact", "isnull"):
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields():
    """(model, [field names]) for every model with encrypted fields."""
    from django.apps import apps

    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names
