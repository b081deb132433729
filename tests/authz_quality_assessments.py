"""Authorization rules for passend/quality/views/assessments.py (fixture: quality_world).

Who sees a school's self-assessment: its coordinator and director (who edit it), its BPO and the
partnership_admin (read-only), and the consultant assigned to the school (who reviews it).
Office staff, partners, mentors, other schools and other partnerships get 404.
School A's assessment is a draft in ``quality_world``; for the review URLs it is first
submitted, so that the consultant's successful path is walked too.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.authz import Rule, only

VIEWERS = ["partnership_admin", "consultant", "director", "coordinator", "bpo"]
EDITORS = ["coordinator", "director"]
REVIEWERS = ["consultant"]
PDF = b"%PDF-1.4\n% test\n"


def _first_rating(assessment):
    return assessment.ratings.order_by("aspect__sort_key").first()


def _rating_url(name: str, assessment, rating=None) -> str:
    rating = rating or _first_rating(assessment)
    return reverse(f"quality:{name}", args=[assessment.code, rating.code])


def _with_file(qw) -> str:
    rating = _first_rating(qw.assessment_a)
    rating.evidence_file.save("werkafspraken.pdf", ContentFile(PDF), save=False)
    rating.evidence_filename = "werkafspraken.pdf"
    rating.save()
    return _rating_url("evidence_download", qw.assessment_a, rating)


def _submitted_a(qw):
    """School A's assessment, rated and submitted by its coordinator."""
    from passend.quality.choices import Rating
    from passend.quality.services import rate_aspect, submit_assessment

    coordinator = qw.world.users["coordinator"]
    assessment = qw.assessment_a
    for rating in assessment.ratings.select_related("aspect", "assessment"):
        rate_aspect(
            rating, acting_user=coordinator, rating_value=Rating.MEETS, evidence="", comment=""
        )
    submit_assessment(assessment, acting_user=coordinator)
    return assessment


def _view(allowed=VIEWERS, ok=200):
    return only(allowed, ok=ok)


def _act(allowed, ok):
    """``ok`` for ``allowed``; 403 for the other viewers; 404 for everyone else."""
    return only(allowed, ok=ok, inside=[p for p in VIEWERS if p not in allowed])


RULES: dict[str, Rule] = {
    "quality:school_assessments": Rule(
        lambda qw: reverse("quality:school_assessments", args=[qw.world.a.code]),
        _view(),
        fixture="quality_world",
    ),
    # A's assessment for the year exists already: the editors are sent to it (302).
    "quality:assessment_start": Rule(
        lambda qw: reverse("quality:assessment_start", args=[qw.world.a.code]),
        _act(EDITORS, 302),
        method="post",
        data=lambda qw: {"school_year": qw.year.name},
        fixture="quality_world",
    ),
    "quality:assessment_detail": Rule(
        lambda qw: reverse("quality:assessment_detail", args=[qw.assessment_a.code]),
        _view(),
        fixture="quality_world",
    ),
    "quality:rating_edit": Rule(
        lambda qw: _rating_url("rating_edit", qw.assessment_a),
        _act(EDITORS, 200),
        fixture="quality_world",
    ),
    "quality:evidence_download": Rule(_with_file, _view(), fixture="quality_world"),
    # A draft with unrated aspects: the editors get the refusal as a message (302).
    "quality:assessment_submit": Rule(
        lambda qw: reverse("quality:assessment_submit", args=[qw.assessment_a.code]),
        _act(EDITORS, 302),
        method="post",
        fixture="quality_world",
    ),
    "quality:aspect_review": Rule(
        lambda qw: _rating_url("aspect_review", _submitted_a(qw)),
        _act(REVIEWERS, 200),
        fixture="quality_world",
    ),
    "quality:assessment_review": Rule(
        lambda qw: reverse("quality:assessment_review", args=[_submitted_a(qw).code]),
        _act(REVIEWERS, 302),
        method="post",
        data=lambda qw: {"review_comment": "Helder."},
        fixture="quality_world",
    ),
    "quality:assessment_reopen": Rule(
        lambda qw: reverse("quality:assessment_reopen", args=[_submitted_a(qw).code]),
        _act(REVIEWERS, 302),
        method="post",
        data=lambda qw: {"reason": "Aspect 10 aanvullen."},
        fixture="quality_world",
    ),
}
