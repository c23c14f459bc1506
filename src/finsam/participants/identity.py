"""Recognising a participant without keeping who she is: keyed pseudonyms, the key outside the database."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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
    mask_personal_numbers,
    parse_personal_number,
)

_keys: dict[Path, bytes] = {}


def _key(setting: str = "PSEUDONYM_KEY_FILE") -> bytes:
    path = Path(getattr(settings, setting))
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
    number: str = ""  # the personnummer's 12 digits, only to seal a copy; empty for an own key

    def __repr__(self) -> str:
        return f"ParticipantKey({self.kind}, <hidden>)"


def participant_key(text: str, association: Association) -> ParticipantKey:
    """The pseudonym of a typed key: a personnummer is validated (InvalidPersonalNumber), any other text is
    the association's own key (ValueError when empty).

    Any text that holds something like a personnummer ("19850101.1236", "85010112366", "pnr 850101-1236")
    is validated as one and so refused unless it is exactly a valid number: it never becomes an own key,
    which is stored as typed."""
    text = text.strip()
    if looks_like_personal_number(text):
        number = parse_personal_number(text)
        return ParticipantKey(
            pseudonymiser(association).pseudonym(number), KeyKind.PERSONAL_NUMBER, "", number.canonical
        )
    own = " ".join(text.split())
    return ParticipantKey(pseudonymiser(association).key_pseudonym(own), KeyKind.OWN_KEY, own)


# A sealed copy is AES-256-GCM under a key of its own (FINSAM_IDENTITY_KEY_FILE, outside the database), its
# nonce in front; the association's id is authenticated with it, so a copy moved to another association's
# row does not open.
_NONCE_BYTES = 12


def _context(association: Association) -> bytes:
    return f"finsam personal number, association {association.pk}".encode("ascii")


def seal(number: str, association: Association) -> str:
    """An encrypted copy of a personnummer (its 12 digits) that only this association's rows can open."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key("IDENTITY_KEY_FILE")).encrypt(nonce, number.encode("ascii"), _context(association))
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(copy: str, association: Association) -> str:
    """The personnummer of a sealed copy, as YYYYMMDD-NNNN; ValueError when the copy does not open."""
    raw = base64.urlsafe_b64decode(copy.encode("ascii"))
    try:
        number = AESGCM(_key("IDENTITY_KEY_FILE")).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _context(association)
        )
    except InvalidTag:
        raise ValueError("the sealed copy does not open with this key and association") from None
    text = number.decode("ascii")
    return f"{text[:8]}-{text[8:]}"


def sealed_copy(key: ParticipantKey, association: Association, keep: bool) -> str:
    """What an episode keeps of its personnummer: a sealed copy if the association keeps them, else none."""
    return seal(key.number, association) if keep and key.number else ""


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
    """A text as it may appear in a message: the digits of anything like a personnummer hidden."""
    return mask_personal_numbers(text)


__all__ = [
    "InvalidPersonalNumber",
    "ParticipantKey",
    "looks_like_personal_number",
    "mask_personal_numbers",
    "masked",
    "participant_key",
    "pseudonymiser",
    "reason",
    "seal",
    "sealed_copy",
    "unseal",
]
