"""Demo data for professional development: three events of the demo SWV in the current school
year (an intervisie with two seats, an online webinar, a past netwerkcafé that bpo.a attended)
and an own development record of bpo.a.

Idempotent: events are found by partnership and title, the record by owner and title; a second
run changes nothing. Dates are relative to the day of the first run, kept inside the current
school year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.development.choices import EventKind, EventMode, RegistrationStatus
from passend.development.models import PdEvent, PdRecord, PdRegistration
from passend.organisations.models import Partnership, SchoolYear

DRECHTSTEDEN = "VO 28-12"
BPO_A = "bpo.a@drechtsteden.example"
COORDINATOR_B = "oc.b@drechtsteden.example"

INTERVISION = "Intervisie bpo'ers – groep Dordrecht"
WEBINAR = "Webinar: het ontwikkelingsperspectiefplan (OPP)"
NETWORK_CAFE = "Netwerkcafé bpo'ers en ondersteuningscoördinatoren"
RECORD = "Training oplossingsgericht werken met jongeren"


def _in_year(day: date, year: SchoolYear) -> date:
    return min(max(day, year.start), year.end)


def _at(day: date, hour: int, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minutes)))


def _event(partnership: Partnership, title: str, day: date, **fields) -> PdEvent:
    event = PdEvent.objects.filter(partnership=partnership, title=title).first()
    if event is not None:
        return event
    start, end = fields.pop("hours_of_day")
    return PdEvent.objects.create(
        partnership=partnership,
        title=title,
        starts_at=_at(day, *start),
        ends_at=_at(day, *end),
        **fields,
    )


def load(users: dict[str, User]) -> None:
    partnership = Partnership.objects.get(duo_number=DRECHTSTEDEN)
    year = SchoolYear.current()
    today = timezone.localdate()
    bpo_a = users[BPO_A]
    with transaction.atomic():
        intervision = _event(
            partnership,
            INTERVISION,
            _in_year(today + timedelta(days=10), year),
            kind=EventKind.INTERVISION,
            mode=EventMode.ON_SITE,
            location="Kantoor samenwerkingsverband, Dordrecht",
            capacity=2,
            hours=Decimal("2"),
            hours_of_day=((14, 0), (16, 0)),
            description=(
                "Intervisie volgens de incidentmethode: een bpo'er brengt een casus in, de "
                "groep onderzoekt de vraag erachter. Maximaal twee plaatsen per ronde."
            ),
        )
        _event(
            partnership,
            WEBINAR,
            _in_year(today + timedelta(days=21), year),
            kind=EventKind.WEBINAR,
            mode=EventMode.ONLINE,
            online_url="https://webinar.example.org/opp",
            hours=Decimal("1.5"),
            hours_of_day=((15, 30), (17, 0)),
            description="Hoe stel je samen met ouders en leerling een goed OPP op?",
        )
        cafe = _event(
            partnership,
            NETWORK_CAFE,
            _in_year(today - timedelta(days=14), year),
            kind=EventKind.NETWORK_CAFE,
            mode=EventMode.ON_SITE,
            location="Bibliotheek Dordrecht, zaal 2",
            capacity=25,
            hours=Decimal("2.5"),
            hours_of_day=((15, 0), (17, 30)),
            description="Ontmoeten en kennis delen met bpo'ers van andere scholen.",
        )
        # bpo.a took part in the netwerkcafé; oc.b holds one of the two intervisie seats.
        PdRegistration.objects.get_or_create(
            event=cafe,
            user=bpo_a,
            defaults={"status": RegistrationStatus.REGISTERED, "attended": True},
        )
        PdRegistration.objects.get_or_create(
            event=intervision,
            user=users[COORDINATOR_B],
            defaults={"status": RegistrationStatus.REGISTERED},
        )
        PdRecord.objects.get_or_create(
            user=bpo_a,
            title=RECORD,
            defaults={
                "provider": "Hogeschool Rotterdam",
                "date": _in_year(today - timedelta(days=30), year),
                "hours": Decimal("16"),
            },
        )
