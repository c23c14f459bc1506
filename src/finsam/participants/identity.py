"""Recognising a participant without keeping who she is: keyed pseudonyms, the key outside the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from finsam.organisation.models import Association
from finsam.participants.models import KeyKind
from finsam.privacy.identity import (
    InvalidPersonalNumber,
    Problem,
    Pseudonymiser,
    load_or_create_key,
    looks_like_personal_number,
    parse_personal_number,
)

_keys: dict[Path, bytes] = {}


def _key() -> bytes:
    path = Path(settings.PSEUDONYM_KEY_FILE)
    if path not in _keys:
        _keys[path] = load_or_create_key(path)
    return _keys[path]


def pseudonymiser(association: Association) -> Pseudonymiser:
    """One association's pseudonyms: the same person has unrelated keys in two associations."""
    return Pseudonymiser(_key(), f"association:{association.slug}")


@dataclass(frozen=True)
class ParticipantKey:
    pseudonym: str
    kind: KeyKind
    own_key: str  # the association's own key as typed; empty for a personnummer

    def __repr__(self) -> str:
        return f"ParticipantKey({self.kind}, <hidden>)"


def participant_key(text: str, association: Association) -> ParticipantKey:
    """The pseudonym of a typed key: a personnummer is validated (InvalidPersonalNumber), any other text is
    the association's own key (ValueError when empty)."""
    text = text.strip()
    if looks_like_personal_number(text):
        number = parse_personal_number(text)
        return ParticipantKey(pseudonymiser(association).pseudonym(number), KeyKind.PERSONAL_NUMBER, "")
    own = " ".join(text.split())
    return ParticipantKey(pseudonymiser(association).key_pseudonym(own), KeyKind.OWN_KEY, own)


# The reasons of privacy.identity.Problem as a Swedish user reads them.
REASONS = {
    Problem.EMPTY: _("inget personnummer angivet"),
    Problem.BAD_CHARACTERS: _("bara siffror, mellanslag och ett - eller + är tillåtna"),
    Problem.WRONG_LENGTH: _("10 eller 12 siffror, inte {count}"),
    Problem.BAD_LAYOUT: _("formen ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN"),
    Problem.PLUS_TOO_YOUNG: _("+ används bara för den som fyller 100 i år eller är äldre, inte född {year}"),
    Problem.NO_SUCH_DATE: _("datumet {date} finns inte"),
    Problem.FUTURE_DATE: _("födelsedatumet {date} har inte inträffat"),
    Problem.SERIAL_ZERO: _("födelsenumret 000 delas aldrig ut"),
    Problem.BAD_CHECK_DIGIT: _("kontrollsiffran ska vara {expected}"),
}


def reason(error: InvalidPersonalNumber) -> str:
    return str(REASONS[error.problem]).format(**error.details)


def masked(text: str) -> str:
    """A personnummer as it may appear in a message: the last four digits hidden."""
    out = list(text)
    hidden = 0
    for index in range(len(out) - 1, -1, -1):
        if hidden == 4:
            break
        if out[index].isdigit():
            out[index] = "*"
            hidden += 1
    return "".join(out)


__all__ = ["InvalidPersonalNumber", "ParticipantKey", "masked", "participant_key", "pseudonymiser", "reason"]
