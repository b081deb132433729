"""Shared test set-up: a fast hasher, and the personas of style.md §10."""

from dataclasses import dataclass

import pytest

from passend.accounts.choices import Role
from tests import factories

# Fixtures of later capabilities live beside their tests, one module per topic.
pytest_plugins = [
    "tests.fixtures_staffing",
    "tests.fixtures_procedures",
    "tests.fixtures_hours",
    "tests.fixtures_development",
    "tests.fixtures_activities",
    "tests.fixtures_agreements",
    "tests.fixtures_caseload",
    "tests.fixtures_meetings",
    "tests.fixtures_plans",
    "tests.fixtures_applications",
    "tests.fixtures_transitions",
    "tests.fixtures_due",
]


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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class QualityWorld:
    """On top of ``world``: P's published framework for the current school year (the shipped
    Koers VO framework), a draft copy of it for next year, school A's assessment in draft and
    school B's submitted (all aspects rated), and Q's own published framework."""

    world: World
    year: object
    next_year: object
    framework: object
    draft: object
    assessment_a: object
    assessment_b: object
    framework_q: object


@pytest.fixture
def quality_world(world) -> QualityWorld:
    from passend.organisations.models import SchoolYear
    from passend.quality.choices import Rating
    from passend.quality.frameworkfile import parse
    from passend.quality.management.commands import load_framework_path
    from passend.quality.services import (
        copy_framework,
        create_framework_from_file,
        rate_aspect,
        start_assessment,
        submit_assessment,
    )

    year = SchoolYear.current()
    next_year = SchoolYear.get_or_create_for_start_year(year.start.year + 1)
    parsed = parse(load_framework_path().read_bytes())
    admin = world.users["partnership_admin"]
    framework = create_framework_from_file(
        parsed, partnership=world.p, school_year=year, acting_user=admin, publish=True
    )
    draft = copy_framework(framework, school_year=next_year, acting_user=admin)
    framework_q = create_framework_from_file(
        parsed,
        partnership=world.q,
        school_year=year,
        acting_user=world.users["other_swv"],
        publish=True,
    )
    assessment_a = start_assessment(
        school=world.a, school_year=year, acting_user=world.users["coordinator"]
    )
    coordinator_b = world.users["coordinator_b"]
    assessment_b = start_assessment(school=world.b, school_year=year, acting_user=coordinator_b)
    for rating in assessment_b.ratings.select_related("aspect", "assessment"):
        rate_aspect(
            rating,
            acting_user=coordinator_b,
            rating_value=Rating.MEETS,
            evidence="Zie werkafspraken.",
            comment="",
        )
    submit_assessment(assessment_b, acting_user=coordinator_b)
    return QualityWorld(
        world=world,
        year=year,
        next_year=next_year,
        framework=framework,
        draft=draft,
        assessment_a=assessment_a,
        assessment_b=assessment_b,
        framework_q=framework_q,
    )
