"""Fixtures for the development tests and the authorization matrix (loaded by conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from passend.development.choices import EventKind, EventMode, RegistrationStatus
from passend.development.models import PdEvent, PdRecord, PdRegistration

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_event(partnership, *, days: float = 7, capacity=None, **kw) -> PdEvent:
    """An event ``days`` from now (negative: in the past), two hours long."""
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    defaults = {
        "title": "Intervisie bpo",
        "kind": EventKind.INTERVISION,
        "mode": EventMode.ON_SITE,
        "location": "Kantoor SWV, Dordrecht",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": capacity,
        "hours": Decimal("2"),
    }
    defaults.update(kw)
    return PdEvent.objects.create(partnership=partnership, **defaults)


@dataclass
class DevelopmentWorld:
    """On top of ``world``: P's upcoming intervisie (capacity 2, the coordinator registered),
    a past netwerkcafé of P the BPO attended, Q's own event, and the BPO's own record with a
    PDF certificate."""

    world: object
    upcoming: PdEvent
    past: PdEvent
    event_q: PdEvent
    past_registration: PdRegistration
    record: PdRecord


@pytest.fixture
def development_world(world) -> DevelopmentWorld:
    from passend.development.services import register

    upcoming = make_event(world.p, days=7, capacity=2)
    register(upcoming, acting_user=world.users["coordinator"])
    past = make_event(
        world.p,
        days=-3,
        title="Netwerkcafé bpo",
        kind=EventKind.NETWORK_CAFE,
        capacity=10,
    )
    past_registration = PdRegistration.objects.create(
        event=past, user=world.users["bpo"], status=RegistrationStatus.REGISTERED
    )
    event_q = make_event(world.q, days=5, title="Webinar Qu", mode=EventMode.ONLINE, location="")
    record = PdRecord(
        user=world.users["bpo"],
        title="Cursus gespreksvoering",
        provider="Hogeschool",
        date=timezone.localdate() - timedelta(days=10),
        hours=Decimal("8"),
    )
    record.certificate.save("certificaat.pdf", ContentFile(PDF), save=False)
    record.certificate_filename = "certificaat.pdf"
    record.save()
    return DevelopmentWorld(
        world=world,
        upcoming=upcoming,
        past=past,
        event_q=event_q,
        past_registration=past_registration,
        record=record,
    )
