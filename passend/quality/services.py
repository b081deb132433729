"""Mutations of frameworks and assessments: one function per action, each in a transaction,
checking the actor's right (passend.quality.access) and writing the audit event."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.audit.services import record
from passend.quality import access
from passend.quality.choices import (
    EDITABLE_STATUSES,
    AssessmentStatus,
    FrameworkStatus,
)
from passend.quality.frameworkfile import NUMBER, ParsedFramework
from passend.quality.models import (
    AspectRating,
    QualityAspect,
    QualityAssessment,
    QualityFramework,
    QualitySection,
)

# --- Frameworks --------------------------------------------------------------------------------


def _require_manage(acting_user, partnership) -> None:
    if acting_user is not None and not access.can_manage_frameworks(acting_user, partnership):
        raise PermissionDenied


def _require_draft(framework: QualityFramework) -> None:
    if not framework.is_draft:
        raise ValidationError(
            _(
                "Een vastgesteld kwaliteitskader kan niet meer worden gewijzigd; "
                "maak een nieuwe versie."
            )
        )


def _next_version(partnership, school_year) -> int:
    current = QualityFramework.objects.filter(
        partnership=partnership, school_year=school_year
    ).aggregate(Max("version"))["version__max"]
    return (current or 0) + 1


def create_framework_from_file(
    parsed: ParsedFramework, *, partnership, school_year, acting_user=None, publish=False
) -> QualityFramework:
    """A new framework version for ``school_year`` from a validated file (draft by default).

    ``acting_user`` None means the system (the ``load-framework`` command, the demo).
    """
    _require_manage(acting_user, partnership)
    with transaction.atomic():
        # Serialise version numbering per partnership: two imports or copies at the same moment
        # would otherwise both take max+1 (PostgreSQL row lock; SQLite's IMMEDIATE transactions
        # already serialise writers).
        type(partnership).objects.select_for_update().filter(pk=partnership.pk).first()
        framework = QualityFramework.objects.create(
            partnership=partnership,
            school_year=school_year,
            version=_next_version(partnership, school_year),
            title=parsed.title,
            introduction=parsed.introduction,
            source=parsed.source,
            minimum_salary_scale=parsed.minimum_salary_scale,
        )
        for position, section_data in enumerate(parsed.sections, start=1):
            section = QualitySection.objects.create(
                framework=framework,
                position=position,
                title=section_data.title,
                introduction=section_data.introduction,
                responsibility=section_data.responsibility,
            )
            for aspect_data in section_data.aspects:
                parent = QualityAspect.objects.create(
                    framework=framework,
                    section=section,
                    number=aspect_data.number,
                    text=aspect_data.text,
                    responsibility=aspect_data.responsibility,
                )
                for child in aspect_data.children:
                    QualityAspect.objects.create(
                        framework=framework,
                        section=section,
                        parent=parent,
                        number=child.number,
                        text=child.text,
                        responsibility=child.responsibility,
                    )
        record("framework.import", actor=acting_user, obj=framework, partnership=partnership)
        if publish:
            publish_framework(framework, acting_user=acting_user)
    return framework


def copy_framework(framework: QualityFramework, *, school_year, acting_user) -> QualityFramework:
    """A new draft version (for ``school_year``) with the same sections and aspects."""
    from passend.quality.frameworkfile import FrameworkFileError, dump, validate

    _require_manage(acting_user, framework.partnership)
    try:
        parsed = validate(dump(framework))
    except FrameworkFileError as error:
        # e.g. a draft whose aspects were all deleted: refused as input, not a server error.
        raise ValidationError(
            _("Dit kwaliteitskader kan niet worden gekopieerd: %(problems)s")
            % {"problems": "; ".join(error.problems)}
        ) from None
    with transaction.atomic():
        copy = create_framework_from_file(
            parsed,
            partnership=framework.partnership,
            school_year=school_year,
            acting_user=acting_user,
        )
        copy.copied_from = framework
        copy.assessment_due = None
        copy.save(update_fields=["copied_from", "assessment_due"])
        record("framework.copy", actor=acting_user, obj=copy, source=str(framework.code))
    return copy


def update_framework(framework: QualityFramework, *, acting_user, **fields) -> QualityFramework:
    """Change title, introduction, source, minimum scale or the due date of a draft.

    The due date (``assessment_due``) may also change after publication: it is planning, not
    content of the framework.
    """
    _require_manage(acting_user, framework.partnership)
    allowed = {"title", "introduction", "source", "minimum_salary_scale", "assessment_due"}
    if set(fields) - allowed:
        raise ValueError(f"unknown fields: {set(fields) - allowed}")
    if set(fields) - {"assessment_due"}:
        _require_draft(framework)
    with transaction.atomic():
        changed = [name for name, value in fields.items() if getattr(framework, name) != value]
        for name in changed:
            setattr(framework, name, fields[name])
        if changed:
            framework.full_clean()
            framework.save(update_fields=changed)
            record("framework.update", actor=acting_user, obj=framework, fields=changed)
    return framework


def save_aspect(
    framework: QualityFramework,
    *,
    acting_user,
    aspect: QualityAspect | None = None,
    number: str,
    text: str,
    section: QualitySection,
    responsibility: str,
) -> QualityAspect:
    """Create (``aspect`` None) or change an aspect of a draft framework.

    A number like ``16.5`` becomes a sub-aspect of ``16`` (which must exist).
    """
    _require_manage(acting_user, framework.partnership)
    _require_draft(framework)
    if section.framework_id != framework.pk:
        raise PermissionDenied
    if not NUMBER.fullmatch(number):
        raise ValidationError({"number": _("Geef een nummer zoals 7 of 16.2.")})
    parent = None
    if "." in number:
        parents = framework.aspects.filter(number=number.split(".")[0])
        if aspect is not None:
            # Renumbering 16 to 16.5 must not make 16 its own parent.
            parents = parents.exclude(pk=aspect.pk)
        parent = parents.first()
        if parent is None:
            raise ValidationError(
                {"number": _("Hoofdaspect %(n)s bestaat niet.") % {"n": number.split(".")[0]}}
            )
        section = parent.section
    clash = framework.aspects.filter(number=number)
    if aspect is not None:
        clash = clash.exclude(pk=aspect.pk)
        has_children = aspect.children.exists()
        if has_children and "." in number:
            raise ValidationError(
                {"number": _("Een aspect met subaspecten kan geen subaspect worden.")}
            )
        if has_children and number != aspect.number:
            # Its sub-aspects (16.1 …) would keep the old number under a renumbered parent.
            raise ValidationError(
                {
                    "number": _(
                        "Een aspect met subaspecten houdt zijn nummer; "
                        "verwijder of hernummer eerst de subaspecten."
                    )
                }
            )
    if clash.exists():
        raise ValidationError({"number": _("Dit nummer bestaat al in dit kader.")})
    with transaction.atomic():
        created = aspect is None
        aspect = aspect or QualityAspect(framework=framework)
        aspect.number, aspect.text, aspect.section = number, text, section
        aspect.responsibility, aspect.parent = responsibility, parent
        aspect.save()
        if not created:
            # Sub-aspects follow their parent's section.
            aspect.children.update(section=section)
        record(
            "framework.aspect_create" if created else "framework.aspect_update",
            actor=acting_user,
            obj=framework,
            aspect=number,
        )
    return aspect


def delete_aspect(aspect: QualityAspect, *, acting_user) -> None:
    framework = aspect.framework
    _require_manage(acting_user, framework.partnership)
    _require_draft(framework)
    with transaction.atomic():
        numbers = [aspect.number, *aspect.children.values_list("number", flat=True)]
        aspect.delete()
        record("framework.aspect_delete", actor=acting_user, obj=framework, aspects=numbers)


def publish_framework(framework: QualityFramework, *, acting_user) -> QualityFramework:
    _require_manage(acting_user, framework.partnership)
    _require_draft(framework)
    if not framework.aspects.exists():
        raise ValidationError(_("Een kwaliteitskader zonder aspecten kan niet worden vastgesteld."))
    with transaction.atomic():
        framework.status = FrameworkStatus.PUBLISHED
        framework.published_at = timezone.now()
        framework.published_by = acting_user
        framework.save(update_fields=["status", "published_at", "published_by"])
        record("framework.publish", actor=acting_user, obj=framework)
    return framework


def current_framework(partnership, school_year) -> QualityFramework | None:
    """The latest published version for the school year (what schools assess against)."""
    return (
        QualityFramework.objects.filter(
            partnership=partnership, school_year=school_year, status=FrameworkStatus.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


# --- Assessments -------------------------------------------------------------------------------


def _require(user, action: str, school) -> None:
    if not access.can(user, action, school):
        raise PermissionDenied


def start_assessment(*, school, school_year, acting_user, request=None) -> QualityAssessment:
    """Open the self-assessment of ``school`` for ``school_year`` against the current framework,
    with one (unrated) row per aspect. Starting twice returns the existing one."""
    _require(acting_user, "edit", school)
    framework = current_framework(school.partnership, school_year)
    if framework is None:
        raise ValidationError(
            _("Er is nog geen vastgesteld kwaliteitskader voor %(year)s.") % {"year": school_year}
        )
    with transaction.atomic():
        assessment, created = QualityAssessment.objects.get_or_create(
            school=school,
            school_year=school_year,
            defaults={"partnership": school.partnership, "framework": framework},
        )
        if created:
            AspectRating.objects.bulk_create(
                AspectRating(assessment=assessment, school=school, aspect=aspect)
                for aspect in framework.aspects.all()
            )
            record("assessment.start", actor=acting_user, obj=assessment, request=request)
    return assessment


def _require_editable(assessment: QualityAssessment) -> None:
    if assessment.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "Deze zelfevaluatie is ingediend en kan niet worden gewijzigd; "
                "vraag de consulent om heropenen."
            )
        )


def rate_aspect(
    rating: AspectRating,
    *,
    acting_user,
    rating_value: str,
    evidence: str,
    comment: str,
    evidence_file=None,
    remove_file: bool = False,
    request=None,
) -> AspectRating:
    """The school's rating, evidence and comment for one aspect (draft or reopened only)."""
    assessment = rating.assessment
    _require(acting_user, "edit", assessment.school)
    _require_editable(assessment)
    with transaction.atomic():
        old_file = rating.evidence_file.name if rating.evidence_file else ""
        rating.rating, rating.evidence, rating.comment = rating_value, evidence, comment
        if evidence_file is not None:
            rating.evidence_file = evidence_file
            rating.evidence_filename = evidence_file.name[:200]
        elif remove_file:
            rating.evidence_file = None
            rating.evidence_filename = ""
        rating.full_clean(exclude=["assessment", "aspect", "school"])
        rating.save()
        record(
            "assessment.rate",
            actor=acting_user,
            obj=assessment,
            request=request,
            aspect=rating.aspect.number,
            rating=rating.rating,
            file=bool(rating.evidence_file),
        )
    new_file = rating.evidence_file.name if rating.evidence_file else ""
    if old_file and old_file != new_file:
        transaction.on_commit(lambda: rating.evidence_file.storage.delete(old_file))
    return rating


def submit_assessment(assessment: QualityAssessment, *, acting_user, request=None):
    _require(acting_user, "edit", assessment.school)
    _require_editable(assessment)
    unrated = list(
        assessment.ratings.filter(rating="")
        .order_by("aspect__sort_key")
        .values_list("aspect__number", flat=True)
    )
    if unrated:
        raise ValidationError(
            _("Nog niet beoordeeld: aspect %(numbers)s.") % {"numbers": ", ".join(unrated)}
        )
    with transaction.atomic():
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = acting_user
        assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        record("assessment.submit", actor=acting_user, obj=assessment, request=request)
    return assessment


def open_evidence_file(rating: AspectRating, *, acting_user, request=None):
    """The rating's evidence file, opened for reading, for someone who may see the assessment;
    the download is audited. FileNotFoundError when there is none (or it is gone from disk)."""
    assessment = rating.assessment
    _require(acting_user, "view", assessment.school)
    if not rating.evidence_file:
        raise FileNotFoundError("no evidence file")
    handle = rating.evidence_file.storage.open(rating.evidence_file.name, "rb")
    record(
        "assessment.evidence_download",
        actor=acting_user,
        obj=assessment,
        request=request,
        aspect=rating.aspect.number,
    )
    return handle


def _require_reviewable(assessment: QualityAssessment) -> None:
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Alleen een ingediende zelfevaluatie kan worden beoordeeld."))


def comment_on_aspect(rating: AspectRating, *, acting_user, review_comment: str, request=None):
    """The consultant's comment on one aspect of a submitted assessment."""
    assessment = rating.assessment
    _require(acting_user, "review", assessment.school)
    _require_reviewable(assessment)
    with transaction.atomic():
        rating.review_comment = review_comment
        rating.save(update_fields=["review_comment", "updated_at"])
        record(
            "assessment.review_comment",
            actor=acting_user,
            obj=assessment,
            request=request,
            aspect=rating.aspect.number,
        )
    return rating


def review_assessment(
    assessment: QualityAssessment, *, acting_user, review_comment: str, request=None
):
    """The consultant closes the review with an overall comment."""
    _require(acting_user, "review", assessment.school)
    _require_reviewable(assessment)
    with transaction.atomic():
        assessment.status = AssessmentStatus.REVIEWED
        assessment.review_comment = review_comment
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = acting_user
        assessment.save(
            update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"]
        )
        record("assessment.review", actor=acting_user, obj=assessment, request=request)
    return assessment


def reopen_assessment(assessment: QualityAssessment, *, acting_user, reason: str, request=None):
    """The consultant sends a submitted or reviewed assessment back to the school."""
    _require(acting_user, "review", assessment.school)
    if assessment.status not in {AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED}:
        raise ValidationError(
            _("Alleen een ingediende of beoordeelde zelfevaluatie kan worden heropend.")
        )
    with transaction.atomic():
        assessment.status = AssessmentStatus.REOPENED
        assessment.reopen_reason = reason
        assessment.save(update_fields=["status", "reopen_reason", "updated_at"])
        record(
            "assessment.reopen", actor=acting_user, obj=assessment, request=request, reason=reason
        )
    return assessment
