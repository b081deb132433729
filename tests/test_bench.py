"""The benchmark's own workload is sound: the roster it generates passes the import's checks, the
first import creates every student with a guardian and the re-import updates and unenrols the
1% it changed (bench/roster.py; `make bench` runs it at 50,000 rows)."""

from __future__ import annotations

import pytest

from bench import roster
from passend.students.models import Guardian, Student

pytestmark = pytest.mark.django_db


def test_roster_benchmark_workload_imports_and_reimports():
    result = roster.bench(rows=300, database="sqlite")
    assert Student.objects.count() == 300
    assert Student.objects.filter(left_on__isnull=False).count() == 3
    assert Student.objects.filter(class_name__endswith="Z").count() == 3
    assert Guardian.objects.count() == 297 + 3  # the leavers keep their guardians
    measures = {m.label: m for m in result.measures}
    assert measures["first import: total"].value > 0
    assert measures["first import: total"].budget is None  # the budget is for 50,000 rows
    assert all(m.ok for m in result.measures)
    assert "300" in result.name and "3 as left" in result.note
