"""``passend digest``: a weekly e-mail per user who chose it, through Django's mail backend
(locmem here), with the number of items per kind and a link built from PASSEND_BASE_URL — and
no student's name or number of any item; ``--dry-run`` prints and sends nothing."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from passend.audit.models import AuditEvent
from passend.due.services import due_for
from passend.students.models import Guardian, Student

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSEND_BASE_URL = "https://passend.example.nl"


@pytest.fixture
def digest_world(due_world):
    """``due_world`` with three more expiring consents at school A (four in all) and the
    coordinators of A and B and the mentor opted in."""
    from passend.caseload.models import Consent

    dw = due_world
    for i in range(3):
        student = Student.objects.create(
            partnership=dw.world.p,
            school=dw.world.a,
            student_number=f"55{i:02d}",
            first_name=f"Digestkind{i}",
            last_name="Naamloos",
            date_of_birth=datetime.date(2013, 5, 1),
            enrolled_on=dw.cw.year.start,
        )
        guardian = Guardian.objects.create(student=student, name=f"Ouder {i}", relation="mother")
        Consent.objects.create(
            partnership=dw.world.p,
            school=dw.world.a,
            student=student,
            given_by="guardian",
            guardian=guardian,
            domain="youth_care",
            purpose="SOT",
            given_on=dw.today - 50 * DAY,
            expires_on=dw.today + (i + 1) * DAY,
        )
    for persona in ("coordinator", "coordinator_b", "mentor"):
        user = dw.world.users[persona]
        user.due_digest = True
        user.save(update_fields=["due_digest"])
    return dw


def _by_recipient() -> dict:
    return {m.to[0]: m for m in mail.outbox}


def test_digest_counts_per_kind_and_names_no_student(digest_world):
    dw = digest_world
    users = dw.world.users
    call_command("digest", stdout=StringIO())
    sent = _by_recipient()
    # The mentor has nothing due: no mail; the BPO did not opt in.
    assert set(sent) == {users["coordinator"].email, users["coordinator_b"].email}

    message = sent[users["coordinator"].email]
    text = f"{message.subject}\n{message.body}"
    assert "- Toestemming verloopt: 4" in message.body
    assert "- Werkafspraken ontbreken: 1 (1 te laat)" in message.body
    assert message.subject == "passend: 5 dingen te doen (1 te laat)"
    assert "https://passend.example.nl/te-doen/" in message.body
    assert re.findall(r"https?://\S+", text) == ["https://passend.example.nl/te-doen/"]

    # No name or student number of any student of any item, nor any item's title.
    items = due_for(users["coordinator"], dw.today)
    students = {i.student for i in items if i.student}
    assert len(students) == 4
    for student in students:
        for secret in (student.first_name, student.last_name, student.student_number):
            assert secret not in text
    for item in items:
        assert item.title not in text
    assert users["bpo"].full_name not in text  # the BPO the werkafspraken item names

    other = sent[users["coordinator_b"].email]
    assert "- Toestemming verloopt: 1" in other.body
    assert dw.cw.student_b.first_name not in other.body + other.subject
    assert AuditEvent.objects.get(action="due.digest_sent").extra == {"recipients": 2}


def test_dry_run_prints_and_sends_nothing(digest_world):
    out = StringIO()
    call_command("digest", "--dry-run", stdout=out)
    assert mail.outbox == []
    printed = out.getvalue()
    assert f"To: {digest_world.world.users['coordinator'].email}" in printed
    assert "- Toestemming verloopt: 4" in printed
    assert "would send: 2 e-mails" in printed
    assert not AuditEvent.objects.filter(action="due.digest_sent").exists()


def test_only_active_users_who_opted_in(digest_world):
    users = digest_world.world.users
    coordinator = users["coordinator"]
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    users["coordinator_b"].due_digest = False
    users["coordinator_b"].save(update_fields=["due_digest"])
    users["bpo"].due_digest = True
    users["bpo"].save(update_fields=["due_digest"])
    call_command("digest", stdout=StringIO())
    assert set(_by_recipient()) == {users["bpo"].email}
