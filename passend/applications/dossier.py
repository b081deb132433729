"""The application dossier: what the SWV receives, built as a list of sections, one function per
part of the dossier (DossierPart): the support question, what was tried, the chosen class
observations and recommendations of the case, the OPP in force (passend.plans) and a summary of
the case's contacts. The dossier consent says which parts go to the SWV: the SWV's
page and the PDF for its commission show only those (``Dossier.for_swv``); the school's own page
shows every part, marked included or not. The student's name, school and class, the kind of
application, the MDO date and the expert advices always go with the application. There is no
BSN in passend, so none in the dossier.

Each section renders with ``applications/dossier/_<part>.html`` on the page and
``applications/pdf/_<part>.html`` in the PDF. To add a part: a DossierPart value, a section
function below, its two templates, and the function in ``SECTIONS``.

Building a dossier costs a constant number of queries, whatever the number of records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from passend.applications.choices import DossierPart
from passend.applications.models import Application, DossierConsent, ExpertAdvice


@dataclass(frozen=True)
class Section:
    """One part of the dossier: ``part`` (a DossierPart value), its title, what it shows, and
    whether the consent includes it."""

    part: str
    title: str
    content: object
    included: bool

    @property
    def template(self) -> str:
        return f"applications/dossier/_{self.part}.html"

    @property
    def pdf_template(self) -> str:
        return f"applications/pdf/_{self.part}.html"

    @property
    def is_empty(self) -> bool:
        return not self.content


@dataclass
class Dossier:
    application: Application
    consent: DossierConsent | None
    advices: list[ExpertAdvice]
    sections: list[Section] = field(default_factory=list)

    @property
    def for_swv(self) -> list[Section]:
        """The sections the consent includes (nothing without a consent)."""
        return [s for s in self.sections if s.included]


def _title(part: str) -> str:
    return str(DossierPart(part).label)


def question_section(application: Application) -> tuple[str, object]:
    return DossierPart.QUESTION, application.question


def tried_section(application: Application) -> tuple[str, object]:
    return DossierPart.TRIED, application.tried


def observations_section(application: Application) -> tuple[str, object]:
    return DossierPart.OBSERVATIONS, list(application.observations.all())


def recommendations_section(application: Application) -> tuple[str, object]:
    return DossierPart.RECOMMENDATIONS, list(application.recommendations.all())


def plan_section(application: Application) -> tuple[str, object]:
    """The student's OPP in force (the newest set version, passend.plans), with its goals."""
    from passend.plans.services import dossier_plan

    plan = dossier_plan(application.student)
    if plan is not None:
        plan.dossier_goals = list(plan.goals.all())
    return DossierPart.PLAN, plan


def contacts_section(application: Application) -> tuple[str, object]:
    """The contact moments of the case, as a summary: date, with whom; not the notes."""
    return DossierPart.CONTACTS, list(application.case.contacts.all())


#: The parts of the dossier in the order they appear.
SECTIONS: list[Callable[[Application], tuple[str, object]]] = [
    question_section,
    tried_section,
    observations_section,
    recommendations_section,
    plan_section,
    contacts_section,
]


def load(application: Application) -> Application:
    """``application`` with what its sections read, prefetched (a constant number of
    queries)."""
    from passend.caseload.models import Contact, Observation, Recommendation

    application = (
        Application.objects.filter(pk=application.pk)
        .select_related("school", "school__partnership", "student", "case")
        .prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("author").order_by("date", "pk"),
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.prefetch_related("approaches").order_by(
                    "date", "pk"
                ),
            ),
            Prefetch("case__contacts", queryset=Contact.objects.order_by("date", "pk")),
        )
        .get()
    )
    return application


def build(application: Application) -> Dossier:
    """The dossier of ``application`` with every section, each marked included or not."""
    application = load(application)
    consent = DossierConsent.objects.filter(application=application).first()
    advices = list(ExpertAdvice.objects.filter(application=application))
    sections = []
    for section in SECTIONS:
        part, content = section(application)
        included = consent is not None and consent.includes(part)
        sections.append(Section(part, _title(part), content, included))
    return Dossier(application=application, consent=consent, advices=advices, sections=sections)
