"""Demo data for the caseload: students with guardians, the SWV's library of approaches, and
support cases of the BPOs with contacts, class observations, handelingsadviezen with their
follow-up, consent and one share with an SOT partner.

- School A (Johan de Witt-gymnasium): 30 students in classes 1A–6A, gymnasium, ages 12–17,
  with their guardians; Mira Mentor (mentor.a) is the mentor of 2B and 4A. Seven cases of Bram
  Begeleider (bpo.a), one per step of the process (signal, analysis, advice, two in guidance,
  evaluation, closed).
- School B (Hans Petri School, praktijkonderwijs): five students, one case of Fatima Begeleider
  (bpo.b) with an advice.
- The SWV's library (beheer@): eight approaches (methods, programmes, instruments) that the
  advice cites.
- Consent and sharing: Sem's mother consented to the youth-care domain and his case is shared
  with that domain, so the school social worker Sanne (smw.a, partner at A, youth care in A's
  SOT) opens it; Noa (17) consented herself to youth care (not shared yet), and withdrew an
  earlier consent for the youth-health domain; Sem also has an expired consent from last year.

Everything goes through the caseload, consent and student services, by the persons who would
do it (oc.a/oc.b record students and consent, the BPOs work in the cases, beheer@ keeps the
library), so the audit trail has the events. Two things are backdated with the ORM because the
services stamp them with today: the status steps of a case (``CaseStatusChange.changed_at``,
``closed_on``) and the date a case was shared, so that the timeline reads as a case that has
been running for weeks.

Idempotent: students are found by school and student number, approaches by name, a case by its
student (a demo student with a case gets nothing new). Dates are relative to the day of the run
and never in the future.

For the demo's SOT meetings: ``demo_cases()`` returns the demo cases by key (``CASE_KEYS``),
after this run or any later one; ``load`` returns the same mapping. ``SHARED_CASE`` is the one the
partner (smw.a) may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from passend.accounts.models import User
from passend.caseload import consent as consent_services
from passend.caseload import services
from passend.caseload.choices import (
    ApproachKind,
    Audience,
    CaseStatus,
    ConsentGiver,
    ContactKind,
    RecommendationStatus,
    SignalSource,
)
from passend.caseload.models import Approach, CaseShare, CaseStatusChange, SupportCase
from passend.demo.services import DRECHTSTEDEN, SCHOOL_A, SCHOOL_B
from passend.organisations.choices import Domain
from passend.organisations.models import Partnership, School, SchoolYear, SupportTeamMember
from passend.students.choices import GuardianRelation
from passend.students.models import Student
from passend.students.services import GuardianInput, create_student

ADMIN = "beheer@drechtsteden.example"
COORDINATOR_A = "oc.a@drechtsteden.example"
BPO_A = "bpo.a@drechtsteden.example"
MENTOR_A = "mentor.a@drechtsteden.example"
PARTNER_A = "smw.a@drechtsteden.example"
COORDINATOR_B = "oc.b@drechtsteden.example"
BPO_B = "bpo.b@drechtsteden.example"

#: Classes of school A whose mentor is Mira Mentor (mentor.a).
MENTOR_A_CLASSES = ("2B", "4A")

# --- Approaches -------------------------------------------------------------------------------

APPROACHES = [
    (
        "Time-out kaart",
        ApproachKind.INSTRUMENT,
        "Een kaart waarmee de leerling bij oplopende spanning zonder discussie de les mag "
        "verlaten naar een afgesproken plek, met vaste afspraken over duur en terugkeer.",
    ),
    (
        "Spanningsmeter",
        ApproachKind.INSTRUMENT,
        "Een schaal van groen naar rood waarmee leerling en volwassene samen bespreken hoe hoog "
        "de spanning is en wat helpt om die te laten zakken.",
    ),
    (
        "Rots en Water",
        ApproachKind.PROGRAMME,
        "Psychofysieke weerbaarheidstraining in groepen: zelfbeheersing, grenzen aangeven en "
        "omgaan met conflicten.",
    ),
    (
        "Faalangstreductietraining",
        ApproachKind.PROGRAMME,
        "Groepstraining van acht bijeenkomsten voor leerlingen met toetsangst: ontspanning, "
        "helpende gedachten en een aanpak voor de toets zelf.",
    ),
    (
        "Plannen met een weekplanner",
        ApproachKind.METHOD,
        "De leerling zet wekelijks met een volwassene huiswerk, toetsen en afspraken in één "
        "planner en deelt grote taken op in stappen.",
    ),
    (
        "Check-in/check-out",
        ApproachKind.METHOD,
        "Dagelijks een kort gesprek bij de start en het einde van de schooldag met een vaste "
        "volwassene: doelen voor de dag en terugblik.",
    ),
    (
        "Oplossingsgericht coachen",
        ApproachKind.METHOD,
        "Korte gesprekken die uitgaan van wat al goed gaat en van kleine, haalbare stappen "
        "(schaalvragen, uitzonderingen zoeken).",
    ),
    (
        "Dyslexiekaart",
        ApproachKind.INSTRUMENT,
        "Overzicht van de faciliteiten van een leerling met een dyslexieverklaring (extra tijd, "
        "vergroting, voorleessoftware, beoordeling van spelling) dat alle docenten gebruiken.",
    ),
]

# --- Students ---------------------------------------------------------------------------------

LEVEL_A = "gymnasium"
LEVEL_B = "praktijkonderwijs"
MOTHERS = ["Marieke", "Sandra", "Anke", "Linda", "Esther", "Ilse", "Karin", "Nicole", "Petra"]
FATHERS = ["Peter", "Mark", "Erik", "Jeroen", "Martijn", "Ronald", "Dennis", "Bart", "Wouter"]


@dataclass(frozen=True)
class DemoStudent:
    number: str
    first_name: str
    name_prefix: str
    last_name: str
    age: int
    class_name: str
    #: (name, relation, has authority); empty: a mother and a father, both with authority.
    guardians: tuple[tuple[str, str, bool], ...] = ()


STUDENTS_A = [
    DemoStudent("31001", "Daan", "", "Visser", 12, "1A"),
    DemoStudent("31002", "Emma", "de", "Jong", 12, "1A"),
    DemoStudent("31003", "Liam", "", "Smit", 13, "1A"),
    DemoStudent("31004", "Julia", "", "Meijer", 12, "1A"),
    DemoStudent("31005", "Noah", "", "Mulder", 12, "1B"),
    DemoStudent("31006", "Tess", "van", "Dijk", 13, "1B"),
    DemoStudent("31007", "Milan", "", "Bos", 12, "1B"),
    DemoStudent(
        "31008",
        "Lotte",
        "",
        "Vos",
        13,
        "2B",
        (("Anke Vos", GuardianRelation.MOTHER, True),),
    ),
    DemoStudent(
        "31009",
        "Sem",
        "de",
        "Graaf",
        14,
        "2B",
        (
            ("Ingrid de Graaf-Smits", GuardianRelation.MOTHER, True),
            ("Marco de Graaf", GuardianRelation.FATHER, True),
        ),
    ),
    DemoStudent(
        "31010",
        "Yara",
        "El",
        "Amrani",
        13,
        "2B",
        (
            ("Samira El Amrani", GuardianRelation.MOTHER, True),
            ("Karim El Amrani", GuardianRelation.FATHER, False),
        ),
    ),
    DemoStudent(
        "31011",
        "Jesse",
        "",
        "Peters",
        14,
        "2B",
        (("M. Akkerman, jeugdbeschermer", GuardianRelation.GUARDIAN, True),),
    ),
    DemoStudent("31012", "Fleur", "", "Hendriks", 13, "2B"),
    DemoStudent("31013", "Thijs", "van", "Leeuwen", 13, "2B"),
    DemoStudent("31014", "Youssef", "", "Benali", 14, "3A"),
    DemoStudent("31015", "Sophie", "", "Dekker", 15, "3A"),
    DemoStudent("31016", "Lucas", "", "Brouwer", 14, "3A"),
    DemoStudent("31017", "Isa", "de", "Wit", 14, "3A"),
    DemoStudent("31018", "Finn", "", "Jacobs", 15, "3B"),
    DemoStudent("31019", "Nina", "", "Kuipers", 14, "3B"),
    DemoStudent("31020", "Ruben", "", "Willems", 15, "3B"),
    DemoStudent("31021", "Sara", "", "Koster", 15, "4A"),
    DemoStudent("31022", "Max", "van der", "Linden", 16, "4A"),
    DemoStudent("31023", "Anouk", "", "Verhoeven", 15, "4A"),
    DemoStudent("31024", "Mees", "", "Schouten", 15, "4A"),
    DemoStudent(
        "31025",
        "Noa",
        "",
        "Bakker",
        17,
        "5A",
        (("Esther Bakker", GuardianRelation.MOTHER, True),),
    ),
    DemoStudent("31026", "Stijn", "", "Jansen", 16, "5A"),
    DemoStudent("31027", "Lieke", "", "Prins", 16, "5A"),
    DemoStudent("31028", "Femke", "van den", "Berg", 17, "6A"),
    DemoStudent("31029", "Timo", "", "Maas", 17, "6A"),
    DemoStudent("31030", "Zoë", "", "Postma", 17, "6A"),
]
STUDENTS_B = [
    DemoStudent("52001", "Kevin", "de", "Bruijn", 15, "P3"),
    DemoStudent("52002", "Shanaya", "", "Martens", 14, "P2"),
    DemoStudent("52003", "Dylan", "", "Vermeulen", 13, "P1"),
    DemoStudent("52004", "Romy", "", "Kramer", 16, "P4"),
    DemoStudent("52005", "Ilias", "", "Ouali", 12, "P1"),
]


def _born(index: int, age: int, today: date) -> date:
    """A date of birth ``age`` years and a few months before ``today`` (spread over the year)."""
    try:
        birthday = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - age, day=28)
    return birthday - timedelta(days=20 + (index * 53) % 300)


def _guardians(s: DemoStudent, index: int) -> list[GuardianInput]:
    family = " ".join(p for p in (s.name_prefix, s.last_name) if p)
    rows = s.guardians or (
        (f"{MOTHERS[index % len(MOTHERS)]} {family}", GuardianRelation.MOTHER, True),
        (f"{FATHERS[(index * 4) % len(FATHERS)]} {family}", GuardianRelation.FATHER, True),
    )
    return [GuardianInput(name, relation, authority) for name, relation, authority in rows]


def _students(school, rows, *, level, mentor, coordinator, today, year) -> None:
    existing = set(Student.objects.filter(school=school).values_list("student_number", flat=True))
    for index, s in enumerate(rows):
        if s.number in existing:
            continue
        study_year = next(int(ch) for ch in s.class_name if ch.isdigit())
        create_student(
            school,
            {
                "student_number": s.number,
                "first_name": s.first_name,
                "name_prefix": s.name_prefix,
                "last_name": s.last_name,
                "date_of_birth": _born(index, s.age, today),
                "class_name": s.class_name,
                "year_of_study": study_year,
                "level": level,
                "mentor": mentor if s.class_name in MENTOR_A_CLASSES else None,
                "enrolled_on": year.start.replace(year=year.start.year - (study_year - 1)),
                "left_on": None,
            },
            _guardians(s, index),
            acting_user=coordinator,
        )


# --- Cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rec:
    days_ago: int
    audience: str
    text: str
    approaches: tuple[str, ...] = ()
    status: str = RecommendationStatus.OPEN
    follow_up: str = ""


@dataclass(frozen=True)
class DemoCase:
    key: str
    school: str  # location code
    student: str  # student number
    source: str
    signalled_by: str
    days_ago: int
    signal: str
    question: str = ""
    domains: tuple[str, ...] = (Domain.EDUCATION_SUPPORT,)
    #: The status steps after the signal: (status, days ago).
    steps: tuple[tuple[str, int], ...] = ()
    #: (days ago, kind, with whom, notes)
    contacts: tuple[tuple[int, str, str, str], ...] = ()
    #: (days ago, lesson, teacher, report)
    observations: tuple[tuple[int, str, str, str], ...] = ()
    recommendations: tuple[Rec, ...] = ()


SIGNAL_CASE = "signal"
ANALYSIS_CASE = "analysis"
ADVICE_CASE = "advice"
SHARED_CASE = "guidance_shared"
OWN_CONSENT_CASE = "guidance_own_consent"
EVALUATION_CASE = "evaluation"
CLOSED_CASE = "closed"
SCHOOL_B_CASE = "school_b"

CASES = [
    DemoCase(
        SIGNAL_CASE,
        SCHOOL_A,
        "31001",
        SignalSource.MENTOR,
        "Mentor 1A",
        3,
        "Daan komt sinds de herfstvakantie vaak te laat en zit in de pauzes alleen. Hij zegt "
        "zelf dat het goed gaat; zijn cijfers zakken iets.",
        domains=(),
    ),
    DemoCase(
        ANALYSIS_CASE,
        SCHOOL_A,
        "31008",
        SignalSource.PARENTS,
        "Moeder van Lotte",
        24,
        "Moeder meldt dat Lotte voor toetsen buikpijn heeft, slecht slaapt en soms niet naar "
        "school wil. Op school valt op dat ze bij overhoringen blokkeert.",
        "Wat helpt Lotte om met spanning rond toetsen om te gaan, en wat kunnen mentor en "
        "docenten daarin doen?",
        steps=((CaseStatus.ANALYSIS, 20),),
        contacts=(
            (
                20,
                ContactKind.PARENTS,
                "Moeder",
                "Gesprek met moeder en mentor. De spanning speelt vooral bij wiskunde en Frans; "
                "thuis wordt veel geoefend, maar Lotte komt moeilijk op gang.",
            ),
            (
                15,
                ContactKind.STUDENT,
                "Lotte",
                "Lotte vertelt dat ze 'alles vergeet' zodra de toets voor haar ligt. Ze wil "
                "graag leren hoe ze rustig kan blijven.",
            ),
            (
                12,
                ContactKind.MENTOR,
                "Mira Mentor (mentor 2B)",
                "De mentor ziet hetzelfde beeld bij overhoringen, niet bij mondelinge "
                "opdrachten of groepswerk.",
            ),
        ),
        observations=(
            (
                8,
                "Wiskunde (overhoring)",
                "Docent wiskunde",
                "Lotte begint pas na tien minuten aan de overhoring, kijkt vaak naar de klok en "
                "gumt veel. Na een korte aanmoediging van de docent gaat ze verder. Buiten de "
                "overhoring werkt ze geconcentreerd en doet ze actief mee.",
            ),
        ),
    ),
    DemoCase(
        ADVICE_CASE,
        SCHOOL_A,
        "31014",
        SignalSource.TEACHER,
        "Docent Frans",
        45,
        "Youssef reageert fel op correctie en loopt ongeveer twee keer per week boos de les "
        "uit, vooral in de laatste uren. Hij komt dan niet terug.",
        "Hoe kan Youssef bij oplopende spanning in de les blijven of op een afgesproken manier "
        "even weg, en hoe herstellen we het contact met de docenten?",
        steps=((CaseStatus.ANALYSIS, 40), (CaseStatus.ADVICE, 10)),
        contacts=(
            (
                40,
                ContactKind.STUDENT,
                "Youssef",
                "Youssef voelt zich 'altijd aangesproken'. Hij merkt zelf dat hij snel boos "
                "wordt als hij moe is en wil niet meer de klas uit gestuurd worden.",
            ),
            (
                35,
                ContactKind.PARENTS,
                "Vader en moeder",
                "Ouders herkennen het van thuis na lange dagen. Hij traint vier avonden per "
                "week; ouders bekijken of dat minder kan.",
            ),
            (
                30,
                ContactKind.TEACHER,
                "Docent Frans",
                "De docent corrigeert vaak klassikaal. Bereid om correctie korter en één op "
                "één te doen.",
            ),
        ),
        observations=(
            (
                28,
                "Frans, 7e uur",
                "Docent Frans",
                "Na twee klassikale opmerkingen over zijn telefoon zakt Youssef onderuit en "
                "reageert hij kortaf. Bij de derde opmerking pakt hij zijn tas en loopt weg.",
            ),
            (
                21,
                "Geschiedenis, 2e uur",
                "Docent geschiedenis",
                "Youssef werkt mee en stelt vragen. De docent geeft aanwijzingen kort en "
                "persoonlijk bij zijn tafel; er is geen conflict.",
            ),
        ),
        recommendations=(
            Rec(
                10,
                Audience.TEACHER,
                "Spreek met Youssef een time-outkaart af: bij oplopende spanning legt hij de "
                "kaart op tafel en gaat hij hooguit tien minuten naar het ondersteuningslokaal. "
                "Geef correctie kort en bij voorkeur niet voor de klas.",
                ("Time-out kaart", "Spanningsmeter"),
            ),
            Rec(
                10,
                Audience.MENTOR,
                "Voer wekelijks een kort mentorgesprek: wat ging goed, wanneer liep de spanning "
                "op? Gebruik de spanningsmeter om dat samen in beeld te brengen.",
                ("Oplossingsgericht coachen", "Spanningsmeter"),
                RecommendationStatus.IN_PROGRESS,
                "De eerste twee gesprekken zijn gevoerd; Youssef doet goed mee.",
            ),
            Rec(
                10,
                Audience.PARENTS,
                "Vraag thuis vooral naar wat goed ging op school. Neem contact op met de mentor "
                "als Youssef thuis erg gespannen is.",
            ),
        ),
    ),
    DemoCase(
        SHARED_CASE,
        SCHOOL_A,
        "31009",
        SignalSource.MENTOR,
        "Mira Mentor (mentor 2B)",
        75,
        "Sem verzuimt steeds vaker het eerste uur en maakt zijn huiswerk niet. Hij vertelde "
        "zijn mentor dat zijn ouders gaan scheiden en dat hij afwisselend bij zijn vader en "
        "moeder woont.",
        "Hoe houden we Sem betrokken bij school nu het thuis onrustig is, en welke hulp heeft "
        "het gezin nodig?",
        domains=(Domain.EDUCATION_SUPPORT, Domain.YOUTH_CARE),
        steps=((CaseStatus.ANALYSIS, 70), (CaseStatus.ADVICE, 45), (CaseStatus.GUIDANCE, 30)),
        contacts=(
            (
                70,
                ContactKind.STUDENT,
                "Sem",
                "Sem wil vooral dat school 'gewoon' blijft. Hij mist overzicht over zijn "
                "spullen en huiswerk nu hij in twee huizen woont.",
            ),
            (
                65,
                ContactKind.PARENTS,
                "Moeder",
                "Moeder bevestigt de scheiding en maakt zich zorgen over de nachtrust van Sem. "
                "Ze staat open voor hulp van het wijkteam.",
            ),
            (
                62,
                ContactKind.PARENTS,
                "Vader",
                "Apart gesprek met vader. Hij wil op de hoogte blijven; afgesproken dat beide "
                "ouders de afspraken van school ontvangen.",
            ),
            (
                30,
                ContactKind.PARTNER,
                "Sanne Maatschappelijk Werk (SMW)",
                "Warme overdracht aan de schoolmaatschappelijk werker na toestemming van moeder. "
                "Sanne plant een kennismaking met Sem en beide ouders.",
            ),
            (
                7,
                ContactKind.MENTOR,
                "Mira Mentor (mentor 2B)",
                "Tussenstand: Sem is de afgelopen drie weken niet meer te laat gekomen; met de "
                "weekplanner gaat het huiswerk beter.",
            ),
        ),
        observations=(
            (
                55,
                "Engels",
                "Docent Engels",
                "Sem zit achterin zonder boek en kijkt veel naar buiten. Als de docent hem "
                "aanspreekt reageert hij vriendelijk en werkt hij kort door.",
            ),
        ),
        recommendations=(
            Rec(
                45,
                Audience.MENTOR,
                "Dagelijkse check-in in het eerste uur en check-out aan het eind van de dag: "
                "heeft Sem zijn spullen bij zich en weet hij wat hij moet doen?",
                ("Check-in/check-out",),
                RecommendationStatus.IN_PROGRESS,
                "Loopt sinds drie weken; Sem komt zelf langs.",
            ),
            Rec(
                45,
                Audience.PARENTS,
                "Gebruik in beide huizen dezelfde weekplanner en zet op zondag samen met Sem de "
                "week klaar. Houd in elk huis een vaste plek voor schoolspullen aan.",
                ("Plannen met een weekplanner",),
                RecommendationStatus.IN_PROGRESS,
                "Beide ouders gebruiken de planner; bij vader lukt het nog niet elke week.",
            ),
            Rec(
                45,
                Audience.TEACHER,
                "Geef Sem aan het begin van de les een kort overzicht van wat hij die les af "
                "moet hebben en kijk halverwege even mee.",
                (),
                RecommendationStatus.DONE,
                "Docenten Engels en wiskunde doen dit; het werkt goed.",
            ),
        ),
    ),
    DemoCase(
        OWN_CONSENT_CASE,
        SCHOOL_A,
        "31025",
        SignalSource.STUDENT,
        "Noa",
        100,
        "Noa meldt zich bij haar mentor: na maanden ziekte (pfeiffer) loopt ze ver achter en "
        "ziet ze het niet meer zitten om het jaar te halen.",
        "Hoe kan Noa haar achterstand stap voor stap inhalen, en wat is haalbaar met haar "
        "belastbaarheid?",
        domains=(Domain.EDUCATION_SUPPORT, Domain.YOUTH_CARE, Domain.YOUTH_HEALTH),
        steps=((CaseStatus.ANALYSIS, 95), (CaseStatus.ADVICE, 70), (CaseStatus.GUIDANCE, 60)),
        contacts=(
            (
                95,
                ContactKind.STUDENT,
                "Noa",
                "Noa kan zich twee à drie uur per dag concentreren. Ze wil het jaar niet "
                "overdoen en schaamt zich voor de achterstand.",
            ),
            (
                90,
                ContactKind.PARENTS,
                "Moeder",
                "Moeder steunt een aangepast rooster. Noa beslist zelf over het delen van "
                "informatie; moeder is daarvan op de hoogte.",
            ),
            (
                60,
                ContactKind.TEACHER,
                "Sectie biologie",
                "Inhaalplan voor biologie besproken: twee praktische opdrachten vervallen, de "
                "toets wordt in twee delen afgenomen.",
            ),
            (
                14,
                ContactKind.STUDENT,
                "Noa",
                "Tussenevaluatie: drie van de zes vakken zijn bij. Noa voelt zich somber en "
                "wil graag met de schoolmaatschappelijk werker praten.",
            ),
        ),
        recommendations=(
            Rec(
                70,
                Audience.MENTOR,
                "Maak met Noa een inhaalplan per vak met hooguit twee inhaalopdrachten per week "
                "en bespreek het plan elke maandag.",
                ("Plannen met een weekplanner", "Oplossingsgericht coachen"),
                RecommendationStatus.IN_PROGRESS,
                "Drie van de zes vakken zijn ingehaald.",
            ),
            Rec(
                70,
                Audience.TEACHER,
                "Stel per vak vast welke opdrachten essentieel zijn en laat de rest vervallen. "
                "Geef Noa bij toetsen zo nodig extra tijd.",
                (),
                RecommendationStatus.IN_PROGRESS,
                "Afspraken met alle secties gemaakt; nog niet elke docent past ze toe.",
            ),
        ),
    ),
    DemoCase(
        EVALUATION_CASE,
        SCHOOL_A,
        "31021",
        SignalSource.MENTOR,
        "Mira Mentor (mentor 4A)",
        150,
        "Sara haalt bij toetsen veel lagere cijfers dan bij opdrachten en zegt dat ze "
        "'dichtklapt'. Ze overweegt naar de havo te gaan.",
        "Wat helpt Sara om haar toetsangst te verminderen?",
        steps=(
            (CaseStatus.ANALYSIS, 145),
            (CaseStatus.ADVICE, 130),
            (CaseStatus.GUIDANCE, 120),
            (CaseStatus.EVALUATION, 5),
        ),
        contacts=(
            (
                145,
                ContactKind.STUDENT,
                "Sara",
                "Sara beschrijft hartkloppingen en een 'leeg hoofd' bij schriftelijke toetsen. "
                "Bij presentaties heeft ze daar geen last van.",
            ),
            (
                140,
                ContactKind.PARENTS,
                "Ouders",
                "Ouders willen dat Sara op het gymnasium blijft als dat haalbaar is. Ze "
                "ondersteunen deelname aan de faalangsttraining.",
            ),
            (
                5,
                ContactKind.PARENTS,
                "Ouders en Sara",
                "Evaluatie: de training heeft geholpen en de toetscijfers zijn gestegen. "
                "Voorstel: afsluiten na de volgende rapportvergadering.",
            ),
        ),
        recommendations=(
            Rec(
                130,
                Audience.MENTOR,
                "Meld Sara aan voor de faalangstreductietraining en bespreek na elke bijeenkomst "
                "kort wat ze wil uitproberen.",
                ("Faalangstreductietraining",),
                RecommendationStatus.DONE,
                "Sara heeft de training afgerond en was bij alle bijeenkomsten.",
            ),
            Rec(
                130,
                Audience.TEACHER,
                "Laat Sara toetsen waar mogelijk in een rustig lokaal maken en kondig "
                "overhoringen vooraf aan.",
                (),
                RecommendationStatus.NOT_FOLLOWED,
                "Een rustig lokaal bleek niet te organiseren; Sara heeft het niet meer nodig.",
            ),
            Rec(
                130,
                Audience.PARENTS,
                "Oefen thuis niet langer dan een uur per avond en plan ontspanning na een "
                "toetsdag.",
                (),
                RecommendationStatus.DONE,
                "Ouders en Sara houden zich aan de afspraak.",
            ),
        ),
    ),
    DemoCase(
        CLOSED_CASE,
        SCHOOL_A,
        "31018",
        SignalSource.TEACHER,
        "Docent Nederlands",
        120,
        "Finn leest traag en maakt veel spelfouten; bij lange teksten haakt hij af. Er is geen "
        "dyslexieverklaring bekend.",
        "Is er sprake van dyslexie, en welke ondersteuning heeft Finn nodig?",
        steps=(
            (CaseStatus.ANALYSIS, 115),
            (CaseStatus.ADVICE, 80),
            (CaseStatus.GUIDANCE, 75),
            (CaseStatus.EVALUATION, 20),
            (CaseStatus.CLOSED, 10),
        ),
        contacts=(
            (
                115,
                ContactKind.PARENTS,
                "Ouders",
                "Op de basisschool was er al een vermoeden van dyslexie; het onderzoek is toen "
                "niet afgerond. Ouders stemmen in met een nieuw onderzoek.",
            ),
            (
                85,
                ContactKind.EXTERNAL,
                "Onderzoeksbureau (dyslexieonderzoek)",
                "Uitslag: dyslexie vastgesteld. De verklaring is ontvangen en opgenomen in het "
                "leerlingdossier.",
            ),
            (
                20,
                ContactKind.STUDENT,
                "Finn",
                "Evaluatie met Finn: hij gebruikt de voorleessoftware en de extra tijd; lezen "
                "kost minder moeite. Afsluiten in overleg met ouders.",
            ),
        ),
        observations=(
            (
                110,
                "Nederlands",
                "Docent Nederlands",
                "Bij stillezen komt Finn niet verder dan de eerste alinea en gaat hij praten. "
                "Als de tekst wordt voorgelezen, beantwoordt hij de vragen goed.",
            ),
        ),
        recommendations=(
            Rec(
                80,
                Audience.TEACHER,
                "Pas de dyslexiekaart toe: 20% extra tijd, toetsen in groter lettertype en "
                "spelling alleen meetellen bij Nederlands.",
                ("Dyslexiekaart",),
                RecommendationStatus.DONE,
                "Alle docenten passen de faciliteiten toe.",
            ),
            Rec(
                80,
                Audience.MENTOR,
                "Vraag Finn eens per periode of de faciliteiten werken en meld knelpunten bij de "
                "bpo'er.",
                (),
                RecommendationStatus.DONE,
                "Twee keer besproken; geen knelpunten.",
            ),
        ),
    ),
    DemoCase(
        SCHOOL_B_CASE,
        SCHOOL_B,
        "52001",
        SignalSource.OTHER,
        "Stagebegeleider leerbedrijf",
        30,
        "Kevin is op zijn stageplek twee keer in conflict gekomen met een collega en dreigt "
        "zijn stage te verliezen. In de klas gaat het redelijk.",
        "Wat helpt Kevin om rustig te blijven als hij op zijn stage een aanwijzing krijgt?",
        steps=((CaseStatus.ANALYSIS, 28), (CaseStatus.ADVICE, 6)),
        contacts=(
            (
                28,
                ContactKind.STUDENT,
                "Kevin",
                "Kevin vindt dat de collega 'steeds op hem let'. Hij wil de stage graag houden.",
            ),
            (
                25,
                ContactKind.EXTERNAL,
                "Stagebegeleider leerbedrijf",
                "De stagebegeleider is tevreden over het werk; het gaat mis bij kritiek waar "
                "anderen bij zijn.",
            ),
        ),
        recommendations=(
            Rec(
                6,
                Audience.TEACHER,
                "Laat Kevin meedoen met de Rots en Water-groep en oefen in de praktijkles hoe "
                "hij om een korte pauze vraagt.",
                ("Rots en Water", "Time-out kaart"),
            ),
        ),
    ),
]
CASE_KEYS = [c.key for c in CASES]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _backdate(case: SupportCase, spec: DemoCase, today: date) -> None:
    """Put the status steps on the days of the story (the service stamps them now)."""
    days = [spec.days_ago] + [ago for _, ago in spec.steps]
    changes = list(CaseStatusChange.objects.filter(case=case).order_by("pk"))
    for change, ago in zip(changes, days, strict=True):
        CaseStatusChange.objects.filter(pk=change.pk).update(
            changed_at=_at(today - timedelta(days=ago), 9, 30)
        )
    if case.status == CaseStatus.CLOSED:
        case.closed_on = today - timedelta(days=spec.steps[-1][1])
        SupportCase.objects.filter(pk=case.pk).update(closed_on=case.closed_on)


def _build_case(spec: DemoCase, student, *, coordinator, bpo, approaches, today) -> SupportCase:
    case = services.open_case(
        student,
        signal_source=spec.source,
        signalled_by_name=spec.signalled_by,
        signalled_on=today - timedelta(days=spec.days_ago),
        signal=spec.signal,
        question=spec.question,
        bpo=bpo,
        domains=spec.domains,
        acting_user=coordinator,
    )
    for ago, kind, whom, notes in spec.contacts:
        services.add_contact(
            case,
            date=today - timedelta(days=ago),
            kind=kind,
            with_whom=whom,
            notes=notes,
            acting_user=bpo,
        )
    for ago, lesson, teacher, report in spec.observations:
        services.add_observation(
            case,
            date=today - timedelta(days=ago),
            lesson=lesson,
            teacher_name=teacher,
            report=report,
            acting_user=bpo,
        )
    for rec in spec.recommendations:
        recommendation = services.add_recommendation(
            case,
            date=today - timedelta(days=rec.days_ago),
            audience=rec.audience,
            text=rec.text,
            approaches=[approaches[name] for name in rec.approaches if name in approaches],
            acting_user=bpo,
        )
        if rec.status != RecommendationStatus.OPEN or rec.follow_up:
            services.update_follow_up(
                recommendation, status=rec.status, follow_up=rec.follow_up, acting_user=bpo
            )
    for status, _ago in spec.steps:
        services.change_status(case, status, acting_user=bpo)
    _backdate(case, spec, today)
    return case


def _consents(cases, users, *, today, year) -> None:
    """Consent and the one share, recorded by school A's coordinator; a student who has
    consents already gets nothing new."""
    oc_a = users[COORDINATOR_A]
    sem = cases.get(SHARED_CASE)
    mother = None
    if sem is not None and not sem.student.consents.exists():
        mother = sem.student.guardians.filter(relation=GuardianRelation.MOTHER).first()
    if mother is not None:
        # Last year's consent for the youth-health domain has expired.
        consent_services.record_consent(
            sem.student,
            given_by=ConsentGiver.GUARDIAN,
            guardian=mother,
            domain=Domain.YOUTH_HEALTH,
            purpose="Overleg met de jeugdverpleegkundige over slaapproblemen",
            given_on=today - timedelta(days=300),
            expires_on=today - timedelta(days=120),
            acting_user=oc_a,
        )
        consent_services.record_consent(
            sem.student,
            given_by=ConsentGiver.GUARDIAN,
            guardian=mother,
            domain=Domain.YOUTH_CARE,
            purpose="Bespreking in het SOT en begeleiding door de schoolmaatschappelijk werker",
            given_on=today - timedelta(days=32),
            expires_on=year.end,
            acting_user=oc_a,
        )
    if sem is not None and not sem.shares.exists():
        share = consent_services.share_case(sem, domain=Domain.YOUTH_CARE, acting_user=oc_a)
        CaseShare.objects.filter(pk=share.pk).update(shared_on=today - timedelta(days=31))
    noa = cases.get(OWN_CONSENT_CASE)
    if noa is not None and not noa.student.consents.exists():
        # Noa (17) decides herself; she withdrew the consent for the youth-health domain.
        withdrawn = consent_services.record_consent(
            noa.student,
            given_by=ConsentGiver.STUDENT,
            domain=Domain.YOUTH_HEALTH,
            purpose="Afstemming met de jeugdarts over belastbaarheid en rooster",
            given_on=today - timedelta(days=90),
            acting_user=oc_a,
        )
        consent_services.withdraw_consent(
            withdrawn, withdrawn_on=today - timedelta(days=40), acting_user=oc_a
        )
        consent_services.record_consent(
            noa.student,
            given_by=ConsentGiver.STUDENT,
            domain=Domain.YOUTH_CARE,
            purpose="Gesprekken met de schoolmaatschappelijk werker over stress en motivatie",
            given_on=today - timedelta(days=12),
            expires_on=year.end,
            acting_user=oc_a,
        )


def _partner_in_sot(school, partner: User, year) -> None:
    """The partner sits in the school's SOT for youth care this year (the demo's SOT has them;
    added if it was removed)."""
    from passend.organisations.models import SupportTeam

    if SupportTeamMember.objects.filter(
        school=school, user=partner, team__school_year=year
    ).exists():
        return
    team, _ = SupportTeam.objects.get_or_create(
        school=school, school_year=year, defaults={"partnership": school.partnership}
    )
    SupportTeamMember.objects.create(
        team=team,
        school=school,
        user=partner,
        name=partner.full_name,
        function="Schoolmaatschappelijk werker",
        domain=Domain.YOUTH_CARE,
        organisation="Wijkteam Dordrecht",
    )


def demo_cases() -> dict[str, SupportCase]:
    """The demo cases by key (``CASE_KEYS``), as far as they exist: the first case of each
    demo student."""
    numbers = {(c.school, c.student): c.key for c in CASES}
    found: dict[str, SupportCase] = {}
    cases = (
        SupportCase.objects.filter(
            school__location_code__in={c.school for c in CASES},
            student__student_number__in={c.student for c in CASES},
        )
        .select_related("school", "student", "bpo")
        .order_by("created_at", "pk")
    )
    for case in cases:
        key = numbers.get((case.school.location_code, case.student.student_number))
        if key is not None and key not in found:
            found[key] = case
    return {key: found[key] for key in CASE_KEYS if key in found}


def load(users: dict[str, User]) -> dict[str, SupportCase]:
    """Load the caseload demo (see the module docstring); the demo cases by key."""
    partnership = Partnership.objects.get(duo_number=DRECHTSTEDEN["number"])
    a = School.objects.get(location_code=SCHOOL_A)
    b = School.objects.get(location_code=SCHOOL_B)
    year = SchoolYear.current()
    today = timezone.localdate()
    with transaction.atomic():
        _partner_in_sot(a, users[PARTNER_A], year)
        known = set(Approach.objects.filter(partnership=partnership).values_list("name", flat=True))
        for name, kind, description in APPROACHES:
            if name not in known:
                services.create_approach(
                    partnership,
                    name=name,
                    kind=kind,
                    description=description,
                    acting_user=users[ADMIN],
                )
        approaches = {
            approach.name: approach
            for approach in Approach.objects.filter(partnership=partnership, active=True)
        }
        common = {"today": today, "year": year}
        _students(
            a,
            STUDENTS_A,
            level=LEVEL_A,
            mentor=users[MENTOR_A],
            coordinator=users[COORDINATOR_A],
            **common,
        )
        _students(
            b, STUDENTS_B, level=LEVEL_B, mentor=None, coordinator=users[COORDINATOR_B], **common
        )
        cases = demo_cases()
        staff = {
            SCHOOL_A: (users[COORDINATOR_A], users[BPO_A]),
            SCHOOL_B: (users[COORDINATOR_B], users[BPO_B]),
        }
        for spec in CASES:
            if spec.key in cases:
                continue
            student = Student.objects.select_related("school").get(
                school__location_code=spec.school, student_number=spec.student
            )
            coordinator, bpo = staff[spec.school]
            cases[spec.key] = _build_case(
                spec,
                student,
                coordinator=coordinator,
                bpo=bpo,
                approaches=approaches,
                today=today,
            )
        _consents(cases, users, **common)
    return demo_cases()
