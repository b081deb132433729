"""The qualification rule of aspect 13 (Koers VO kwaliteitskader 2021-2022).

"Beschikt over een onderwijsbevoegdheid (PO/ V(S)O) in combinatie met minimaal een
HBO-opleiding op het gebied van speciale onderwijszorg (zoals bijvoorbeeld Master SEN) en
daaraan gekoppelde relevante werkervaring óf beschikt over minimaal een HBO-opleiding op het
gebied van het sociaal-emotioneel functioneren van leerlingen en daaruit voortkomend gedrag
(zoals psychologie of orthopedagogiek)."

So: (teaching PO, VO or VSO) and SEN → met; psychology/orthopedagogy (one kind) → met on its
own; anything else → not met. The relevant work experience the seed couples to the first route
is not recorded in passend: the met-reason says so, the school judges it. Every verdict comes
with its reasons in words, for the BPO's page, the school's view and the derived evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from passend.staffing.choices import TEACHING_KINDS, QualificationKind

#: The level in a teaching qualification, as the seed writes it (PO / VO / VSO).
TEACHING_LEVELS = {
    QualificationKind.TEACHING_PO: "PO",
    QualificationKind.TEACHING_VO: "VO",
    QualificationKind.TEACHING_VSO: "VSO",
}


@dataclass(frozen=True)
class RuleResult:
    met: bool
    reasons: tuple[str, ...]


class Aspect13Rule:
    """Decides whether a set of qualification kinds meets aspect 13, and says why."""

    number = "13"

    def evaluate(self, kinds: Iterable[str]) -> RuleResult:
        kinds = {str(kind) for kind in kinds if kind}
        teaching = sorted(TEACHING_LEVELS[k] for k in TEACHING_KINDS if k in kinds)
        sen = QualificationKind.SEN in kinds
        psychology = QualificationKind.PSYCHOLOGY in kinds
        levels = "/".join(teaching)
        if psychology:
            return RuleResult(
                True,
                (
                    _(
                        "Heeft een opleiding psychologie of orthopedagogiek: dat volstaat voor "
                        "aspect 13."
                    ),
                ),
            )
        if teaching and sen:
            return RuleResult(
                True,
                (
                    _(
                        "Heeft een onderwijsbevoegdheid (%(levels)s) in combinatie met een "
                        "opleiding speciale onderwijszorg."
                    )
                    % {"levels": levels},
                    _(
                        "De daaraan gekoppelde relevante werkervaring legt passend niet vast; "
                        "die beoordeelt de school."
                    ),
                ),
            )
        if teaching:
            reason = _(
                "Heeft een onderwijsbevoegdheid (%(levels)s), maar geen opleiding speciale "
                "onderwijszorg (zoals een Master SEN) en geen opleiding psychologie of "
                "orthopedagogiek."
            ) % {"levels": levels}
        elif sen:
            reason = _(
                "Heeft een opleiding speciale onderwijszorg, maar geen onderwijsbevoegdheid "
                "(PO/VO/VSO) en geen opleiding psychologie of orthopedagogiek."
            )
        elif kinds:
            reason = _(
                "Alleen overige opleidingen vastgelegd: geen onderwijsbevoegdheid met speciale "
                "onderwijszorg en geen opleiding psychologie of orthopedagogiek."
            )
        else:
            reason = _("Geen opleidingen vastgelegd.")
        return RuleResult(False, (reason,))


ASPECT_13 = Aspect13Rule()
