"""Episodes and referrals for tests, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam import testing
from finsam.organisation.models import Intervention
from finsam.participants import services
from finsam.participants.identity import participant_key
from finsam.participants.models import Episode, Referral


def episode(
    intervention: Intervention,
    key: str,
    *,
    gender: str = "kvinna",
    enrolled: dt.date = dt.date(2023, 1, 10),
    exited: dt.date | None = None,
    reason: str = "",
    municipality: str = "Gnosjö",
    years: str | None = None,
    income_before: str = "",
    income_after: str = "",
    occupation_before: str = "",
    occupation_after: str = "",
) -> Episode:
    pk = participant_key(key, intervention.association)
    made = Episode(
        association=intervention.association,
        intervention=intervention,
        participant_key=pk.pseudonym,
        key_kind=pk.kind,
        own_key=pk.own_key,
        gender=gender,
        birth_year=1990,
        municipality=municipality,
        enrolled_on=enrolled,
        exited_on=exited,
        exit_reason=reason,
        years_on_support=Decimal(years) if years is not None else None,
        income_before=income_before,
        income_after=income_after,
        occupation_before=occupation_before,
        occupation_after=occupation_after,
    )
    services.save_episode(testing.SYSTEM, made)
    return made


def referral(
    intervention: Intervention, source: str, received: dt.date, outcome: str = Referral.Outcome.PENDING
) -> Referral:
    made = Referral(
        association=intervention.association,
        intervention=intervention,
        source=source,
        received_on=received,
        outcome=outcome,
    )
    services.save_referral(testing.SYSTEM, made)
    return made
