"""Derived evidence for the quality framework (passend.quality.evidence) from werkafspraken:

- aspect 8: the school has its own task description (adopted from the SWV's template, adapted);
- aspect 9: per BPO the werkafspraken of the year — agreed by coordinator and BPO, seen by the
  director, and whether they say how the other SOT members are informed;
- aspect 10: per BPO whether the annual evaluation of the year was held (finalised), interim
  evaluations, and whether it led to adjusted werkafspraken.

Each provider is one query.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.agreements.choices import AgreementStatus, EvaluationKind, EvaluationStatus
from passend.quality.evidence import Evidence, provides


@provides("8")
def task_description(school, school_year) -> Evidence:
    from passend.agreements.models import TaskDescription

    own = (
        TaskDescription.objects.filter(school=school)
        .annotate(n=Count("items"))
        .values_list("title", "n", "updated_at")
        .first()
    )
    if own is None:
        return Evidence(
            False,
            _(
                "De school heeft nog geen eigen taakomschrijving voor de bpo'er vastgelegd "
                "(de voorbeeldtaakomschrijving van het SWV is nog niet overgenomen)."
            ),
        )
    title, count, updated = own
    return Evidence(
        True,
        _("Taakomschrijving “%(title)s” met %(count)s taken, bijgewerkt op %(date)s.")
        % {"title": title, "count": count, "date": date_format(updated.date(), "j F Y")},
    )


def _latest(school, school_year):
    from passend.agreements.models import WorkAgreement

    return (
        WorkAgreement.objects.filter(school=school, school_year=school_year)
        .latest_versions()
        .order_by("bpo__full_name", "bpo_id")
    )


@provides("9")
def agreements_made(school, school_year) -> list[Evidence]:
    rows = list(
        _latest(school, school_year).values_list(
            "bpo__full_name", "status", "version", "sot_informed", "acknowledged_at"
        )
    )
    if not rows:
        return [
            Evidence(
                False,
                _("Er zijn voor schooljaar %(year)s nog geen werkafspraken vastgelegd.")
                % {"year": school_year.name},
            )
        ]
    lines = []
    for name, status, version, sot_informed, acknowledged in rows:
        if status == AgreementStatus.ACKNOWLEDGED:
            text = _(
                "%(name)s: werkafspraken (versie %(v)s) overeengekomen en op %(date)s gezien "
                "door de directie."
            ) % {
                "name": name,
                "v": version,
                "date": date_format(acknowledged.date(), "j F Y"),
            }
            met = True
        elif status == AgreementStatus.AGREED:
            text = _(
                "%(name)s: werkafspraken (versie %(v)s) overeengekomen, nog niet gezien door de "
                "directie."
            ) % {"name": name, "v": version}
            met = False
        else:
            text = _(
                "%(name)s: werkafspraken (versie %(v)s) zijn nog een concept: de coördinator en "
                "de bpo'er hebben ze nog niet allebei bevestigd."
            ) % {"name": name, "v": version}
            met = False
        if not sot_informed.strip():
            text += " " + _("Niet vastgelegd hoe de overige SOT-leden worden geïnformeerd.")
            met = False
        lines.append(Evidence(met, text))
    return lines


@provides("10")
def evaluations_held(school, school_year) -> list[Evidence] | None:
    from passend.agreements.models import AgreementEvaluation, WorkAgreement

    final = AgreementEvaluation.objects.filter(
        school=OuterRef("school"),
        school_year=OuterRef("school_year"),
        bpo=OuterRef("bpo"),
        status=EvaluationStatus.FINAL,
    )
    newest = WorkAgreement.objects.filter(
        school=OuterRef("school"), school_year=OuterRef("school_year"), bpo=OuterRef("bpo")
    ).order_by("-version")
    # Version 1 exists for every BPO with werkafspraken; once it was agreed an evaluation is due.
    rows = list(
        WorkAgreement.objects.filter(school=school, school_year=school_year, version=1)
        .filter(status__in=[AgreementStatus.AGREED, AgreementStatus.ACKNOWLEDGED])
        .annotate(
            annual=Exists(final.filter(kind=EvaluationKind.ANNUAL)),
            interim=Exists(final.filter(kind=EvaluationKind.INTERIM)),
            newest=Subquery(newest.values("version")[:1]),
        )
        .order_by("bpo__full_name", "bpo_id")
        .values_list("bpo__full_name", "annual", "interim", "newest")
    )
    if not rows:
        return None
    return [_evaluation_line(school_year, *row) for row in rows]


def _evaluation_line(school_year, name, annual, interim, version) -> Evidence:
    if annual:
        text = _("%(name)s: jaarlijkse evaluatie gehouden.") % {"name": name}
        if version > 1:
            text += " " + _("De werkafspraken zijn daarna aangepast (versie %(v)s).") % {
                "v": version
            }
        return Evidence(True, text)
    text = _("%(name)s: de jaarlijkse evaluatie van %(year)s is nog niet gehouden.") % {
        "name": name,
        "year": school_year.name,
    }
    if interim:
        text += " " + _("Er is wel een tussentijdse evaluatie gehouden.")
    return Evidence(False, text)
