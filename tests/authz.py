"""Building blocks of the authorization matrix (tests/test_authorization_matrix.py).

Each app's URLs get their rules in a module ``tests/authz_<app>.py`` exporting ``RULES``; the
matrix test merges them and fails for any URL pattern without a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = [
    "anonymous",
    "partnership_admin",
    "consultant",
    "office",
    "director",
    "coordinator",
    "bpo",
    "partner",
    "mentor",
    "coordinator_b",
    "other_swv",
    "superuser",
    "no_role",
]
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
IN_P = [
    "partnership_admin",
    "consultant",
    "office",
    "director",
    "coordinator",
    "bpo",
    "partner",
    "mentor",
    "coordinator_b",
]
SEES_A = [
    "partnership_admin",
    "consultant",
    "office",
    "director",
    "coordinator",
    "bpo",
    "partner",
    "mentor",
]

LOGIN = "login"  # expected: a redirect to the log-in page


@dataclass
class Rule:
    """How to call one URL pattern and what each persona gets.

    ``url`` and ``data`` receive the ``world`` fixture, or the ``quality_world`` fixture when
    ``fixture="quality_world"``.
    """

    url: Callable[[object], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[object], dict] = field(default=lambda w: {})
    fixture: str = "world"


def statuses(default, **overrides) -> dict[str, int | str]:
    """Expected result per persona: ``default`` for signed-in personas, with overrides."""
    result: dict[str, int | str] = {p: default for p in SIGNED_IN}
    result["anonymous"] = LOGIN
    for key, value in overrides.items():
        result[key] = value
    return result


def only(allowed: list[str], ok: int = 200, inside: list[str] | None = None, **extra):
    """``ok`` for ``allowed``; 403 for personas in ``inside`` (in scope, no right); else 404."""
    result = statuses(404, **extra)
    for p in inside or []:
        result[p] = 403
    for p in allowed:
        result[p] = ok
    return result
