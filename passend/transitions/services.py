"""Recording a student's transition (overstap) and changing it: the kind and direction, the
other school or institution, the warm handover, and what was shared under which consent.

Rules (checked here, every error on its field; nothing is written then):
- a PO → VO transition comes in, a VO → MBO transition goes out (the others go either way);
- the other side is a school of the same partnership in passend (VO → VO, VO → VSO only) or a
  named school or institution with an optional DUO code (instellingscode ``12AB`` or
  vestigingscode ``12AB00``);
- consent follows passend.caseload.consent's age rule (a guardian with legal authority under
  16, the student from 16, by the age on the consent date; ``_giver_errors`` is that rule, not a
  copy of it); it is recorded as given or refused, with who and when;
- parts of the file are shared only under a consent recorded as given.

Only the school's coordinator and BPOs record transitions (passend.transitions.access). Every
change writes an audit event with codes only: never the handover notes or a name.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.audit.services import record
from passend.caseload.choices import ConsentGiver
from passend.caseload.consent import _giver_errors
from passend.transitions import access
from passend.transitions.choices import (
    FIXED_DIRECTION,
    KINDS_WITH_PASSEND_SCHOOL,
    Direction,
    SharedPart,
    TransitionKind,
)
from passend.transitions.models import Transition

TEXT_MAX = 20000
NAME_MAX = 200
WITH_MAX = 150
#: DUO's instellingscode (two digits, two letters) with an optional vestiging number.
DUO_CODE = re.compile(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$")
#: The consent fields of the age rule (passend.caseload.consent) → the fields here.
CONSENT_FIELDS = {"given_by": "consent_given_by", "guardian": "consent_guardian"}


@dataclass(frozen=True)
class TransitionInput:
    """What the form gives: the transition, the warm handover, and the consent for sharing."""

    kind: str
    direction: str
    date: datetime.date | None
    other_school: object | None = None
    other_name: str = ""
    other_duo_code: str = ""
    handover_on: datetime.date | None = None
    handover_with: str = ""
    handover_notes: str = ""
    shared_parts: Sequence[str] = ()
    consent_given: bool | None = None
    consent_given_by: str = ""
    consent_guardian: object | None = None
    consent_on: datetime.date | None = None


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def other_school_choices(student) -> QuerySet:
    """Schools the other side can be: those of the student's partnership but their own."""
    from passend.organisations.models import School

    return (
        School.objects.filter(partnership_id=student.partnership_id)
        .exclude(pk=student.school_id)
        .order_by("name", "pk")
    )


# --- Validation --------------------------------------------------------------------------------


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _kind_errors(data: TransitionInput, errors: dict) -> None:
    if data.kind not in TransitionKind.values:
        _add(errors, "kind", _("Kies de soort overstap."))
        return
    if data.direction not in Direction.values:
        _add(errors, "direction", _("Kies of de leerling binnenkomt of vertrekt."))
        return
    fixed = FIXED_DIRECTION.get(data.kind)
    if fixed is not None and data.direction != fixed:
        if fixed == Direction.INCOMING:
            _add(errors, "direction", _("Een overstap PO → VO is altijd inkomend."))
        else:
            _add(errors, "direction", _("Een overstap VO → MBO is altijd uitgaand."))


def _other_side(student, data: TransitionInput, errors: dict) -> dict:
    """The other school: a school of the partnership in passend, or a name and DUO code."""
    if data.other_school is not None:
        if data.kind in TransitionKind.values and data.kind not in KINDS_WITH_PASSEND_SCHOOL:
            _add(
                errors,
                "other_school",
                _(
                    "Alleen bij VO → VO en VO → VSO is de andere school een school van het "
                    "samenwerkingsverband. Vul anders de naam in."
                ),
            )
        elif not other_school_choices(student).filter(pk=data.other_school.pk).exists():
            _add(errors, "other_school", _("Kies een andere school van het samenwerkingsverband."))
        else:
            return {
                "other_school": data.other_school,
                "other_name": data.other_school.name[:NAME_MAX],
                "other_duo_code": data.other_school.location_code[:6],
            }
        return {}
    name = (data.other_name or "").strip()
    code = (data.other_duo_code or "").strip().upper().replace(" ", "")
    if not name:
        _add(errors, "other_name", _("Vul de school of instelling in."))
    elif len(name) > NAME_MAX:
        _add(
            errors, "other_name", _("De naam is te lang (hooguit %(n)s tekens).") % {"n": NAME_MAX}
        )
    if code and not DUO_CODE.match(code):
        _add(
            errors,
            "other_duo_code",
            _(
                "Een DUO-code is een instellingscode als 20KZ of een vestigingscode als 20KZ00 "
                "(laat leeg als u die niet weet)."
            ),
        )
    return {"other_school": None, "other_name": name, "other_duo_code": code}


def _handover(data: TransitionInput, errors: dict) -> dict:
    with_whom = (data.handover_with or "").strip()
    notes = (data.handover_notes or "").strip()
    if len(with_whom) > WITH_MAX:
        _add(
            errors,
            "handover_with",
            _("Deze tekst is te lang (hooguit %(n)s tekens).") % {"n": WITH_MAX},
        )
    if len(notes) > TEXT_MAX:
        _add(errors, "handover_notes", _("Deze tekst is te lang."))
    if notes and data.handover_on is None:
        _add(errors, "handover_on", _("Vul de datum van de warme overdracht in."))
    return {"handover_on": data.handover_on, "handover_with": with_whom, "handover_notes": notes}


def _consent(student, data: TransitionInput, today: datetime.date, errors: dict) -> dict:
    """Consent recorded as given or refused, with who and when; nothing when not recorded."""
    if data.consent_given is None:
        return {
            "consent_given": None,
            "consent_given_by": "",
            "consent_guardian": None,
            "consent_guardian_name": "",
            "consent_on": None,
        }
    if data.consent_on is None:
        _add(errors, "consent_on", _("Vul de datum van de toestemming in."))
    elif data.consent_on > today:
        _add(errors, "consent_on", _("De datum van de toestemming ligt in de toekomst."))
    # The age rule of passend.caseload.consent: a guardian under 16, the student from 16, by the
    # age on the consent date; its errors are moved to this form's field names.
    rule: dict[str, list[str]] = {}
    _giver_errors(student, data.consent_given_by, data.consent_guardian, data.consent_on, rule)
    for name, messages in rule.items():
        for message in messages:
            _add(errors, CONSENT_FIELDS.get(name, name), message)
    by_guardian = data.consent_given_by == ConsentGiver.GUARDIAN
    guardian = data.consent_guardian if by_guardian else None
    return {
        "consent_given": data.consent_given,
        "consent_given_by": data.consent_given_by,
        "consent_guardian": guardian,
        "consent_guardian_name": guardian.name[:150] if guardian is not None else "",
        "consent_on": data.consent_on,
    }


def _parts(data: TransitionInput, errors: dict) -> list[str]:
    parts = set(data.shared_parts or [])
    if parts - set(SharedPart.values):
        _add(errors, "shared_parts", _("Kies alleen onderdelen uit de lijst."))
        return []
    if parts and data.consent_given is None:
        _add(
            errors,
            "shared_parts",
            _(
                "Er is geen toestemming vastgelegd. Zonder toestemming worden geen onderdelen "
                "gedeeld: leg eerst de toestemming vast of vink de onderdelen uit."
            ),
        )
    elif parts and data.consent_given is False:
        _add(
            errors,
            "shared_parts",
            _("De toestemming is geweigerd: er mogen geen onderdelen gedeeld worden."),
        )
    return [value for value in SharedPart.values if value in parts]


def _clean(student, data: TransitionInput) -> dict:
    """The model field values for ``data``, or a ValidationError with every field's errors."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    _kind_errors(data, errors)
    if data.date is None:
        _add(errors, "date", _("Vul de datum van de overstap in."))
    fields = {
        "kind": data.kind,
        "direction": data.direction,
        "date": data.date,
        **_other_side(student, data, errors),
        **_handover(data, errors),
        **_consent(student, data, today, errors),
        "shared_parts": _parts(data, errors),
    }
    if errors:
        raise ValidationError(errors)
    return fields


def _audit_fields(transition: Transition) -> dict:
    """Codes and dates only: never the notes, the names or the other school's name."""
    return {
        "student": str(transition.student.code),
        "kind": transition.kind,
        "direction": transition.direction,
        "other_school": str(transition.other_school.code) if transition.other_school else "",
        "date": transition.date.isoformat(),
        "shared_parts": list(transition.shared_parts),
        "consent_given": transition.consent_given,
        "consent_on": transition.consent_on.isoformat() if transition.consent_on else "",
    }


# --- Changes -----------------------------------------------------------------------------------


def create_transition(student, data: TransitionInput, *, acting_user) -> Transition:
    """Record a transition of ``student`` (the school's coordinator or a BPO)."""
    _require(access.may_manage(acting_user, student.school_id))
    fields = _clean(student, data)
    with transaction.atomic():
        transition = Transition.objects.create(
            partnership_id=student.partnership_id,
            school_id=student.school_id,
            student=student,
            created_by=acting_user,
            **fields,
        )
        record(
            "transition.create",
            actor=acting_user,
            obj=transition,
            school=student.school,
            **_audit_fields(transition),
        )
    return transition


def update_transition(transition: Transition, data: TransitionInput, *, acting_user) -> Transition:
    """Change a transition; the audit names the fields that changed (not their values)."""
    _require(access.may_manage(acting_user, transition.school_id))
    fields = _clean(transition.student, data)
    changed = [name for name, value in fields.items() if getattr(transition, name) != value]
    if not changed:
        return transition
    with transaction.atomic():
        for name in changed:
            setattr(transition, name, fields[name])
        transition.save(update_fields=[*changed, "updated_at"])
        record(
            "transition.update",
            actor=acting_user,
            obj=transition,
            school=transition.school,
            fields=sorted(changed),
            **_audit_fields(transition),
        )
    return transition
