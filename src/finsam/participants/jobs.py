"""The participants' jobs on the queue (finsam.core.jobs)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def erase_expired() -> str:
    """The nightly erasure: `finsam manage erase_expired` for every association, its report kept with the
    job's result."""
    report = StringIO()
    call_command("erase_expired", stdout=report)
    return report.getvalue()
