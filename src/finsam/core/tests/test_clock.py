"""The day finsam takes for today: the real one, or in demo mode the demo's own."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from pytest_django.fixtures import Settings

from finsam.core import clock


def test_outside_demo_mode_today_is_the_real_local_date(settings: Settings) -> None:
    settings.DEMO = False
    assert clock.today() == timezone.localdate()
    assert clock.today() > dt.date(2025, 1, 1)  # not the demo's


def test_in_demo_mode_today_is_the_demos_day(settings: Settings) -> None:
    settings.DEMO = True
    assert clock.today() == settings.DEMO_TODAY == dt.date(2024, 1, 1)
    settings.DEMO_TODAY = dt.date(2024, 2, 1)
    assert clock.today() == dt.date(2024, 2, 1)
