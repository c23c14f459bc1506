"""How an intervention is classified, as SUS and the national follow-up do (ADR 0027).

- **orientation**: individual or structural (`Intervention.kind`);
- **precise orientation**: a code of `Intervention.Purpose` that fits the orientation (`PRECISE`), or
  "unspecified" where none is given (files and rows from before the classification);
- **target groups**: any number of codes of `Intervention.TargetGroup`, kept sorted;
- **follow-up**: by person (each participant registered) or by volume (head counts only);
- **ESF**: whether the European Social Fund finances it.

`as_dict` is the form other apps and the national export read; `LABELS` names every code in Swedish.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.organisation.models import Intervention

Purpose = Intervention.Purpose
UNSPECIFIED = "unspecified"

# The precise orientations that fit each orientation.
PRECISE: dict[str, tuple[str, ...]] = {
    Intervention.Kind.INDIVIDUAL: (
        Purpose.PREPARATORY,
        Purpose.ASSESSMENT,
        Purpose.WORK,
        Purpose.JOB_SUPPORT,
        Purpose.STUDIES,
        Purpose.COORDINATION,
    ),
    Intervention.Kind.STRUCTURAL: (
        Purpose.COMPETENCE,
        Purpose.COOPERATION,
        Purpose.METHODS,
        Purpose.DEVELOPMENT,
        Purpose.INFORMATION,
        Purpose.MAPPING,
    ),
}
# The three codes from before the classification were allowed on either orientation: files and rows that have
# them on a structural intervention stay valid.
EARLIER = (Purpose.PREPARATORY, Purpose.ASSESSMENT, Purpose.WORK)
TARGET_GROUPS: tuple[str, ...] = tuple(Intervention.TargetGroup.values)

# Every code of `as_dict` with its Swedish label.
LABELS: dict[str, object] = {
    **{str(k.value): k.label for k in Intervention.Kind},
    **{str(p.value): p.label for p in Purpose if p.value},
    UNSPECIFIED: gettext_lazy("Ej angiven"),
    **{str(g.value): g.label for g in Intervention.TargetGroup},
    **{str(f.value): f.label for f in Intervention.FollowUp},
}


def default_follow_up(kind: str) -> str:
    """Individual interventions register each participant; structural ones count heads."""
    if kind == Intervention.Kind.STRUCTURAL:
        return Intervention.FollowUp.VOLUME
    return Intervention.FollowUp.PERSON


def join_target_groups(codes: list[str]) -> str:
    return "|".join(sorted(set(codes)))


def validate(intervention: Intervention) -> None:
    """A precise orientation of the other orientation (but for the earlier codes), or an unknown target group,
    is refused."""
    errors: dict[str, str] = {}
    fitting = PRECISE.get(intervention.kind, ())
    if intervention.purpose and intervention.purpose not in (*fitting, *EARLIER):
        errors["purpose"] = _(
            "Den precisa inriktningen passar inte en %(kind)s insats; välj en av %(choices)s."
        ) % {
            "kind": str(intervention.get_kind_display()).lower(),
            "choices": ", ".join(str(LABELS[code]).lower() for code in fitting),
        }
    unknown = [code for code in intervention.target_group_codes() if code not in TARGET_GROUPS]
    if unknown:
        errors["target_groups"] = _("Okända målgrupper: %s") % ", ".join(unknown)
    if errors:
        raise ValidationError(errors)


def as_dict(intervention: Intervention) -> dict[str, object]:
    """The classification as the national export reads it (codes only; `LABELS` names them)."""
    return {
        "orientation": intervention.kind,
        "precise_orientation": intervention.purpose or UNSPECIFIED,
        "target_groups": intervention.target_group_codes(),
        "follow_up": intervention.follow_up,
        "esf": intervention.esf,
    }


def labels(intervention: Intervention) -> dict[str, object]:
    """The classification in Swedish, for pages and the catalogue."""
    data = as_dict(intervention)
    return {
        "orientation": LABELS[str(data["orientation"])],
        "precise_orientation": LABELS[str(data["precise_orientation"])],
        "target_groups": [LABELS[code] for code in intervention.target_group_codes()],
        "follow_up": LABELS[str(data["follow_up"])],
        "esf": intervention.esf,
    }
