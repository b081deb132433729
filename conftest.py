"""Shared test set-up: a fast hasher, and the personas of style.md §10."""

from dataclasses import dataclass

import pytest

from passend.accounts.choices import Role
from tests import factories


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is the production hasher (tested on its own); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """Partnership P with schools A and B; partnership Q with school C; one persona per role."""

    p: object
    q: object
    a: object
    b: object
    c: object
    users: dict


@pytest.fixture
def world(db) -> World:
    p = factories.partnership(name="SWV Pe")
    q = factories.partnership(name="SWV Qu")
    a = factories.school(p, name="School Aa")
    b = factories.school(p, name="School Bee")
    c = factories.school(q, name="School Cee")
    users = {
        "partnership_admin": factories.member(Role.PARTNERSHIP_ADMIN, partnership=p),
        "consultant": factories.member(Role.CONSULTANT, school=a),  # assigned to school A
        "office": factories.member(Role.OFFICE, partnership=p),
        "director": factories.member(Role.DIRECTOR, school=a),
        "coordinator": factories.member(Role.COORDINATOR, school=a),
        "bpo": factories.member(Role.BPO, school=a),
        "partner": factories.member(Role.PARTNER, school=a),
        "mentor": factories.member(Role.MENTOR, school=a),
        "coordinator_b": factories.member(Role.COORDINATOR, school=b),
        "other_swv": factories.member(Role.PARTNERSHIP_ADMIN, partnership=q),
        "superuser": factories.user(is_staff=True, is_superuser=True),
        "no_role": factories.user(),
    }
    return World(p=p, q=q, a=a, b=b, c=c, users=users)
