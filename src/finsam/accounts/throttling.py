"""Login throttling: django-axes with a count per user name and address, and one per address alone.

axes counts failures for each group of AXES_LOCKOUT_PARAMETERS ([["username", "ip_address"], "ip_address"],
in that order) but compares all with one limit. A user's typos lock her name from that address at
AXES_FAILURE_LIMIT; many names tried from one address lock the address at FINSAM_ADDRESS_FAILURE_LIMIT,
higher because an office's staff may share one address. A successful login clears only her own failures:
the address count waits out the cool-off, so one known password does not reset an attacker's count.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_user, per_address = (_failures(q) for q in self.get_user_attempts(request, credentials))
        # Scaled so that it reaches AXES_FAILURE_LIMIT exactly when it reaches the address's own limit.
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.FINSAM_ADDRESS_FAILURE_LIMIT
        return max(per_user, scaled)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_user = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_user.delete()
        return int(count)
