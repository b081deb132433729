"""The qualification rule of aspect 13 (Koers VO kwaliteitskader 2021-2022).

"Beschikt over een onderwijsbevoegdheid (PO/ V(S)O) in combinatie met minimaal een
HBO-opleiding op het gebied van speciale onderwijszorg (zoals bijvoorbeeld Master SEN) […] óf
beschikt over minimaal een HBO-opleiding op het gebied van het sociaal-emotioneel functioneren
van leerlingen en daaruit voortkomend gedrag (zoals psychologie of orthopedagogiek)."
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from passend.staffing.choices import TEACHING_KINDS, QualificationKind


@dataclass(frozen=True)
class RuleResult:
    met: bool
    reasons: tuple[str, ...]


class Aspect13Rule:
    """Decides whether a set of qualifications meets aspect 13, and says why."""

    number = "13"

    def evaluate(self, kinds: Iterable[str]) -> RuleResult:
        kinds = set(kinds)
        teaching = bool(kinds & TEACHING_KINDS)
        sen = QualificationKind.SEN in kinds
        psychology = QualificationKind.PSYCHOLOGY in kinds
        if psychology:
            return RuleResult(
                True,
                (_("Heeft een opleiding psychologie of orthopedagogiek: dat volstaat."),),
            )
        if teaching and sen:
            return RuleResult(
                True,
                (_("Heeft een onderwijsbevoegdheid in combinatie met speciale onderwijszorg."),),
            )
        reasons = []
        if teaching:
            reasons.append(
                _("Heeft een onderwijsbevoegdheid, maar geen opleiding speciale onderwijszorg.")
            )
        elif sen:
            reasons.append(
                _("Heeft een opleiding speciale onderwijszorg, maar geen onderwijsbevoegdheid.")
            )
        else:
            reasons.append(
                _(
                    "Geen onderwijsbevoegdheid met speciale onderwijszorg en geen opleiding "
                    "psychologie of orthopedagogiek vastgelegd."
                )
            )
        return RuleResult(False, tuple(reasons))


ASPECT_13 = Aspect13Rule()
