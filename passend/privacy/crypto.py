"""Encryption at rest of narrative fields (support question, contact notes, observation reports,
recommendations, minutes): Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) with a
key list from the environment, so keys can be rotated.

``settings.FIELD_ENCRYPTION_KEYS`` holds one or more urlsafe-base64 Fernet keys; the first
encrypts, all decrypt (``MultiFernet``). Rotation: put a new key first, keep the old ones, run
``passend reencrypt`` (every row re-encrypted with the first key), then drop the old keys.

The keys are independent of SECRET_KEY: rotating the session secret must not make the student
files unreadable, and the other way round.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Every stored value starts with this marker, so an unencrypted value is never mistaken for one.
PREFIX = "enc1:"


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set PASSEND_FIELD_KEYS")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PASSEND_FIELD_KEYS holds an invalid Fernet key: {error}"
        ) from error


def reset_keys() -> None:
    """Forget the cached keys (tests that change the setting, and ``reencrypt``)."""
    _fernet.cache_clear()


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    """The plaintext of a stored value. A value without the marker or that no key opens is an
    error: passend never silently shows ciphertext or accepts a tampered value."""
    if not stored.startswith(PREFIX):
        raise ValueError("an encrypted field holds a value that passend did not encrypt")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError("no configured key decrypts this value (PASSEND_FIELD_KEYS)") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
