"""Who may decide a request for a role that needs approval, and what waits for whom (ADR 0014).

The data protection officer or an administrator of the request's association decides (Perm.DECIDE_ACCESS),
never the one who asked and never the one the request is for: four eyes, the requester's and another's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from finsam.accounts.models import RoleRequest, User
from finsam.accounts.roles import Perm
from finsam.organisation.models import Association


def may_decide(user: User, role_request: RoleRequest) -> bool:
    """Whether the user may approve or refuse the request (whatever its status)."""
    if user.pk in (role_request.requested_by_id, role_request.user_id):
        return False
    return Perm.DECIDE_ACCESS in user.perms_in(role_request.association_id)


def pending(association: Association) -> QuerySet[RoleRequest]:
    return (
        RoleRequest.objects.filter(association=association, status=RoleRequest.Status.PENDING)
        .select_related("user", "requested_by")
        .prefetch_related("interventions")
        .order_by("requested_at", "id")
    )


@dataclass(frozen=True)
class Waiting:
    """The pending requests of one association as a user's start page shows them."""

    to_decide: list[RoleRequest]  # hers to approve or refuse
    own: list[RoleRequest]  # asked by her or for her: someone else decides

    def __bool__(self) -> bool:
        return bool(self.to_decide or self.own)


def waiting(user: User, perms: frozenset[Perm], requests: list[RoleRequest]) -> Waiting:
    """Of an association's pending requests, those the user (holding perms there) is to decide, and those
    she asked or is the subject of."""
    own = [r for r in requests if user.pk in (r.requested_by_id, r.user_id)]
    to_decide = [r for r in requests if r not in own] if Perm.DECIDE_ACCESS in perms else []
    return Waiting(to_decide=to_decide, own=own)
