"""Mutations of professional development: events, registrations (with a waitlist), attendance
and a person's own records. One function per action, each in a transaction, checking the actor's
right (passend.development.access) and writing the audit event."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.accounts.access import scope_for
from passend.audit.services import record
from passend.development import access
from passend.development.choices import RegistrationStatus
from passend.development.models import PdEvent, PdRecord, PdRegistration

EVENT_FIELDS = frozenset(
    {
        "title",
        "kind",
        "mode",
        "description",
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "capacity",
        "hours",
    }
)
RECORD_FIELDS = frozenset({"title", "provider", "date", "hours"})


# --- Helpers -------------------------------------------------------------------------------------


def year_bounds(school_year) -> tuple[datetime, datetime]:
    """The school year as [start, end) aware datetimes in the local time zone."""
    start = timezone.make_aware(datetime.combine(school_year.start, time.min))
    end = timezone.make_aware(datetime.combine(school_year.end + timedelta(days=1), time.min))
    return start, end


def is_past(event: PdEvent, now=None) -> bool:
    """An event that has begun is past for registration."""
    return event.starts_at <= (now or timezone.now())


def may_keep_records(user) -> bool:
    """BPOs and coordinators keep their own development records (aspect 12)."""
    scope = scope_for(user)
    return bool(
        scope.school_ids(access.REGISTER_ROLES) or scope.partnership_ids(access.REGISTER_ROLES)
    )


def _lock(event: PdEvent) -> PdEvent:
    """The event row, locked until the end of the transaction (PostgreSQL: SELECT … FOR
    UPDATE). SQLite has no row locks, but passend's SQLite transactions are IMMEDIATE: the
    write lock is taken at BEGIN, so writers are serialised all the same."""
    return PdEvent.objects.select_for_update().get(pk=event.pk)


def _registered_count(event: PdEvent) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _promote(event: PdEvent, *, acting_user, request=None) -> list[PdRegistration]:
    """Move waitlisted people up (first come, first served) while seats are free. The caller
    holds the event lock."""
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "registered_at", "pk"
    )
    if event.capacity is not None:
        free = event.capacity - _registered_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
        record(
            "pd.registration_promote",
            actor=acting_user,
            obj=registration,
            partnership=event.partnership,
            request=request,
            event=str(event.code),
            user=registration.user.email,
        )
    return promoted


# --- Events --------------------------------------------------------------------------------------


def _require_manage(acting_user, partnership) -> None:
    if acting_user is not None and not access.can_manage(acting_user, partnership):
        raise PermissionDenied


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {unknown}")


def create_event(partnership, *, acting_user, request=None, **fields) -> PdEvent:
    """A new event of ``partnership``. ``acting_user`` None means the system (the demo)."""
    _require_manage(acting_user, partnership)
    _check_fields(fields)
    event = PdEvent(partnership=partnership, **fields)
    event.full_clean()
    with transaction.atomic():
        event.save()
        record("pd.event_create", actor=acting_user, obj=event, request=request)
    return event


def update_event(event: PdEvent, *, acting_user, request=None, **fields) -> PdEvent:
    """Change an event. Capacity may not drop below the seats already taken; when it grows,
    waitlisted people move up."""
    _require_manage(acting_user, event.partnership)
    _check_fields(fields)
    with transaction.atomic():
        locked = _lock(event)
        taken = _registered_count(locked)
        capacity = fields.get("capacity", locked.capacity)
        if capacity is not None and capacity < taken:
            raise ValidationError(
                {
                    "capacity": _(
                        "Er zijn al %(n)s deelnemers aangemeld; het maximum kan niet lager zijn."
                    )
                    % {"n": taken}
                }
            )
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed:
            locked.full_clean()
            locked.save(update_fields=changed)
            record(
                "pd.event_update", actor=acting_user, obj=locked, request=request, fields=changed
            )
            if "capacity" in changed:
                _promote(locked, acting_user=acting_user, request=request)
    for name in changed:
        setattr(event, name, getattr(locked, name))
    return event


# --- Registration --------------------------------------------------------------------------------


def register(event: PdEvent, *, acting_user, request=None) -> PdRegistration:
    """Register ``acting_user`` for ``event``: a seat if one is free, else the waitlist.

    The event row is locked before the seats are counted, so two people asking for the last
    seat at the same moment are served one after the other: one gets it, the other waits.
    Registering again after cancelling reuses the registration (at the back of the queue).
    """
    if not access.can_register(acting_user, event.partnership):
        raise PermissionDenied
    if is_past(event):
        raise ValidationError(_("Deze bijeenkomst is al begonnen; aanmelden kan niet meer."))
    with transaction.atomic():
        locked = _lock(event)
        existing = locked.registrations.filter(user=acting_user).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            return existing
        full = locked.capacity is not None and _registered_count(locked) >= locked.capacity
        status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
        if existing is None:
            registration = PdRegistration.objects.create(
                event=locked, user=acting_user, status=status
            )
        else:
            registration = existing
            registration.status = status
            registration.attended = None
            registration.registered_at = timezone.now()
            registration.save(update_fields=["status", "attended", "registered_at"])
        record(
            "pd.register",
            actor=acting_user,
            obj=registration,
            partnership=locked.partnership,
            request=request,
            event=str(locked.code),
            status=status,
        )
    return registration


def cancel_registration(
    event: PdEvent, *, acting_user, request=None
) -> tuple[PdRegistration, list[PdRegistration]]:
    """Cancel ``acting_user``'s registration; a freed seat goes to the first on the waitlist.

    Returns the cancelled registration and the people who moved up.
    """
    if not access.can_register(acting_user, event.partnership):
        raise PermissionDenied
    if is_past(event):
        raise ValidationError(_("Deze bijeenkomst is al begonnen; afmelden kan niet meer."))
    with transaction.atomic():
        locked = _lock(event)
        registration = (
            locked.registrations.filter(user=acting_user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            raise ValidationError(_("Je bent niet aangemeld voor deze bijeenkomst."))
        previous = registration.status
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status"])
        record(
            "pd.cancel",
            actor=acting_user,
            obj=registration,
            partnership=locked.partnership,
            request=request,
            event=str(locked.code),
            previous=previous,
        )
        promoted = []
        if previous == RegistrationStatus.REGISTERED:
            promoted = _promote(locked, acting_user=acting_user, request=request)
    return registration, promoted


def record_attendance(
    event: PdEvent, *, acting_user, present: set[str], listed: set[str], request=None
) -> int:
    """The office records who attended: registrations in ``listed`` (codes as strings) are
    marked present when in ``present``, absent otherwise. Only registered seats count; the
    event must have begun. Returns the number of registrations changed."""
    _require_manage(acting_user, event.partnership)
    if not is_past(event):
        raise ValidationError(_("Aanwezigheid kun je vastleggen zodra de bijeenkomst is begonnen."))
    changed = 0
    with transaction.atomic():
        registrations = event.registrations.filter(
            status=RegistrationStatus.REGISTERED
        ).select_related("user")
        summary = []
        for registration in registrations:
            code = str(registration.code)
            if code not in listed:
                continue
            attended = code in present
            if registration.attended != attended:
                registration.attended = attended
                registration.save(update_fields=["attended"])
                changed += 1
                summary.append({"user": registration.user.email, "attended": attended})
        if changed:
            record(
                "pd.attendance",
                actor=acting_user,
                obj=event,
                request=request,
                changes=summary,
            )
    return changed


# --- Own records ---------------------------------------------------------------------------------


def save_record(
    *,
    acting_user,
    record_obj: PdRecord | None = None,
    certificate=None,
    remove_certificate: bool = False,
    request=None,
    **fields,
) -> PdRecord:
    """Create (``record_obj`` None) or change one's own development record (aspect 12)."""
    if set(fields) - RECORD_FIELDS:
        raise ValueError(f"unknown fields: {set(fields) - RECORD_FIELDS}")
    if record_obj is None:
        if not may_keep_records(acting_user):
            raise PermissionDenied
        record_obj = PdRecord(user=acting_user)
        action = "pd.record_create"
    elif record_obj.user_id != acting_user.pk:
        raise PermissionDenied
    else:
        action = "pd.record_update"
    old_file = record_obj.certificate.name if record_obj.certificate else ""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(record_obj, name, value)
        if certificate is not None:
            record_obj.certificate = certificate
            record_obj.certificate_filename = certificate.name[:200]
        elif remove_certificate:
            record_obj.certificate = None
            record_obj.certificate_filename = ""
        record_obj.full_clean(exclude=["certificate"])
        record_obj.save()
        record(
            action,
            actor=acting_user,
            obj=record_obj,
            request=request,
            title=record_obj.title,
            hours=str(record_obj.hours),
            certificate=bool(record_obj.certificate),
        )
    new_file = record_obj.certificate.name if record_obj.certificate else ""
    if old_file and old_file != new_file:
        storage = record_obj.certificate.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return record_obj


def delete_record(record_obj: PdRecord, *, acting_user, request=None) -> None:
    if record_obj.user_id != acting_user.pk:
        raise PermissionDenied
    old_file = record_obj.certificate.name if record_obj.certificate else ""
    storage = record_obj.certificate.storage
    with transaction.atomic():
        record(
            "pd.record_delete",
            actor=acting_user,
            obj=record_obj,
            request=request,
            title=record_obj.title,
        )
        record_obj.delete()
    if old_file:
        transaction.on_commit(lambda: storage.delete(old_file))


def open_certificate(record_obj: PdRecord, *, acting_user, request=None):
    """The certificate file, opened for reading; the download is audited."""
    if not record_obj.certificate:
        raise FileNotFoundError(record_obj.code)
    handle = record_obj.certificate.storage.open(record_obj.certificate.name, "rb")
    record(
        "pd.certificate_download",
        actor=acting_user,
        obj=record_obj,
        request=request,
        owner=record_obj.user.email,
    )
    return handle
