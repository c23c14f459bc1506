"""The day finsam takes for today wherever it decides what a page shows or offers: the real local date, or in
demo mode the demo's own day (settings.DEMO_TODAY, the day after the demo's data ends), so that a newcomer
meets the demo as on that day. Audit timestamps, sessions, tokens, jobs and file ages keep real time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    if settings.DEMO:
        day: dt.date = settings.DEMO_TODAY
        return day
    return timezone.localdate()
