"""A role that reads personal data, or decides who may, is given only when another approves (ADR 0014).

The attack on the demo: the office (`kansli`) gave its own account the registrar role for three interventions
on the user-admin page and read 50 episodes.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam import testing
from finsam.accounts import services
from finsam.accounts.models import Membership, RoleRequest, User
from finsam.accounts.roles import Role, needs_approval
from finsam.accounts.tests.test_two_factor import code_for
from finsam.core.audit import Actor
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association, Intervention

pytestmark = pytest.mark.django_db

USERS = "/f/{slug}/anvandare/"
REQUESTS = "/f/{slug}/anvandare/behorigheter/"
EPISODES = "/f/{slug}/deltagare/lista/"


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def decide(client: Client, role_request: RoleRequest, decision: str, comment: str = "") -> int:
    url = f"{REQUESTS.format(slug=role_request.association.slug)}{role_request.pk}/"
    return client.post(url, {"decision": decision, "comment": comment}).status_code


def test_only_roles_that_read_personal_data_or_decide_need_approval() -> None:
    assert {r for r in Role if needs_approval(r)} == {
        Role.REGISTRAR,
        Role.DATA_PROTECTION_OFFICER,
        Role.OFFICE_ADMIN,
    }


@pytest.fixture
def kansli_asks_for_herself(demo: dict[str, Association]) -> RoleRequest:
    """The attack replayed: kansli posts the user-admin form giving herself the registrar role for three
    interventions of Finnveden."""
    finnveden = demo["finnveden"]
    three = finnveden.interventions.filter(kind=Intervention.Kind.INDIVIDUAL).order_by("code")
    assert three.count() == 3
    response = logged_in("kansli").post(
        USERS.format(slug="finnveden"),
        {"username": "kansli", "role": "registrar", "interventions": [i.pk for i in three]},
    )
    assert response.status_code == 302
    return RoleRequest.objects.get(user__username="kansli")


def test_the_office_cannot_give_itself_personal_data(kansli_asks_for_herself: RoleRequest) -> None:
    asked = kansli_asks_for_herself
    kansli = User.objects.get(username="kansli")
    finnveden = asked.association
    assert not Membership.objects.filter(user=kansli, role=Role.REGISTRAR).exists()
    assert asked.status == RoleRequest.Status.PENDING
    assert asked.requested_by == kansli
    assert sorted(i.code for i in asked.interventions.all()) == ["ITSPARET", "MITTVAL", "SAMVERKANSTEAM"]
    entry = AuditEntry.objects.get(action="role.request")
    assert (entry.actor, entry.association) == ("kansli", finnveden)
    assert entry.after == {
        "user": "kansli",
        "role": "registrar",
        "interventions": ["ITSPARET", "MITTVAL", "SAMVERKANSTEAM"],
    }
    # She may not decide her own request, on the page or through the service.
    client = logged_in("kansli")
    assert decide(client, asked, "approve") == 403
    with pytest.raises(PermissionDenied):
        services.decide_role_request(Actor(kansli, "kansli"), asked, approve=True)
    # Nor give the role directly through the service as a logged-in user.
    with pytest.raises(PermissionDenied):
        services.grant_role(Actor(kansli, "kansli"), kansli, finnveden, Role.REGISTRAR, [])
    asked.refresh_from_db()
    assert asked.status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=kansli, role=Role.REGISTRAR).exists()
    assert client.get(EPISODES.format(slug="finnveden")).status_code == 403


def test_the_data_protection_officer_approves_and_the_role_is_given(
    kansli_asks_for_herself: RoleRequest,
) -> None:
    asked = kansli_asks_for_herself
    assert decide(logged_in("dataskydd"), asked, "approve", "Vikarierar för registratorn i juni") == 302
    asked.refresh_from_db()
    dataskydd = User.objects.get(username="dataskydd")
    assert (asked.status, asked.decided_by, asked.comment) == (
        RoleRequest.Status.APPROVED,
        dataskydd,
        "Vikarierar för registratorn i juni",
    )
    membership = Membership.objects.get(user__username="kansli", role=Role.REGISTRAR)
    assert sorted(i.code for i in membership.interventions.all()) == [
        "ITSPARET",
        "MITTVAL",
        "SAMVERKANSTEAM",
    ]
    approved = AuditEntry.objects.get(action="role.approve")
    granted = AuditEntry.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert (approved.actor, granted.actor) == ("dataskydd", "dataskydd")
    assert approved.before == {"status": "pending"}
    assert approved.after == {
        "user": "kansli",
        "role": "registrar",
        "interventions": ["ITSPARET", "MITTVAL", "SAMVERKANSTEAM"],
        "status": "approved",
    }
    assert logged_in("kansli").get(EPISODES.format(slug="finnveden")).status_code == 200
    # A decided request is not decided again.
    response = logged_in("dataskydd").post(
        f"{REQUESTS.format(slug='finnveden')}{asked.pk}/", {"decision": "refuse"}, follow=True
    )
    assert "Begäran är redan beslutad." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_refused_request_leaves_nothing(kansli_asks_for_herself: RoleRequest) -> None:
    asked = kansli_asks_for_herself
    assert decide(logged_in("dataskydd"), asked, "refuse", "Ingen tjänst som registrator") == 302
    asked.refresh_from_db()
    assert asked.status == RoleRequest.Status.REFUSED
    assert not Membership.objects.filter(user__username="kansli", role=Role.REGISTRAR).exists()
    assert not AuditEntry.objects.filter(
        action="membership.grant", after__user="kansli", after__role="registrar"
    )
    assert AuditEntry.objects.get(action="role.refuse").actor == "dataskydd"
    assert logged_in("kansli").get(EPISODES.format(slug="finnveden")).status_code == 403
    # Approving it afterwards changes nothing.
    assert decide(logged_in("dataskydd"), asked, "approve") == 302
    assert not Membership.objects.filter(user__username="kansli", role=Role.REGISTRAR).exists()


def test_the_request_waits_on_the_start_page_of_those_who_decide(
    kansli_asks_for_herself: RoleRequest,
) -> None:
    asked = kansli_asks_for_herself
    page = logged_in("dataskydd").get("/f/finnveden/").content.decode()
    assert "Behörigheter som väntar på beslut" in page
    assert f'href="anvandare/behorigheter/#begaran-{asked.pk}"' in page
    assert "Deltagarregistrator för kansli, begärd av kansli" in page
    requests_page = logged_in("dataskydd").get(REQUESTS.format(slug="finnveden")).content.decode()
    assert f'action="/f/finnveden/anvandare/behorigheter/{asked.pk}/"' in requests_page
    # The one who asked sees it as her own, waiting for someone else, and gets no buttons to decide it.
    own = logged_in("kansli").get("/f/finnveden/").content.decode()
    assert "Begärt av dig eller för dig" in own
    assert "väntar på beslut av någon annan" in own
    requests_page = logged_in("kansli").get(REQUESTS.format(slug="finnveden")).content.decode()
    assert f'action="/f/finnveden/anvandare/behorigheter/{asked.pk}/"' not in requests_page
    assert "någon annan beslutar" in requests_page
    # Others see nothing of it; the other association's start page neither.
    assert (
        "Behörigheter som väntar på beslut" not in logged_in("ekonom").get("/f/finnveden/").content.decode()
    )
    assert "Behörigheter som väntar på beslut" not in (
        logged_in("dataskydd").get("/f/sodra-vatterbygden/").content.decode()
    )
    assert logged_in("ekonom").get(REQUESTS.format(slug="finnveden")).status_code == 403


def test_a_decider_of_another_association_cannot_decide(kansli_asks_for_herself: RoleRequest) -> None:
    asked = kansli_asks_for_herself
    other = testing.association("annan", "Samordningsförbundet Annan")
    outsider = testing.user("olof", (other, Role.DATA_PROTECTION_OFFICER))
    client = Client()
    client.force_login(outsider)
    assert (
        client.post(f"{REQUESTS.format(slug='annan')}{asked.pk}/", {"decision": "approve"}).status_code == 404
    )
    assert decide(client, asked, "approve") == 404
    asked.refresh_from_db()
    assert asked.status == RoleRequest.Status.PENDING


@pytest.fixture
def office() -> Association:
    """An association with two office administrators and interventions; no data protection officer."""
    assoc = testing.association()
    testing.intervention(assoc, "STEG")
    testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    testing.user("olle", (assoc, Role.OFFICE_ADMIN))
    return assoc


def test_a_request_for_someone_else_is_approved_by_a_second_administrator(office: Association) -> None:
    steg = office.interventions.get()
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    response = karin.post(
        USERS.format(slug=office.slug),
        {"username": "rita", "role": "registrar", "interventions": [steg.pk], "reason": "Ny på STEG"},
    )
    assert response.status_code == 200  # the new account's one-time password, shown once
    page = response.content.decode()
    assert "ges först när dataskyddsombudet eller en annan kansliadministratör har godkänt" in page
    asked = RoleRequest.objects.get(user__username="rita")
    assert asked.reason == "Ny på STEG"
    assert not Membership.objects.filter(user__username="rita").exists()
    # The one who asked cannot decide; the second administrator can.
    assert decide(karin, asked, "approve") == 403
    olle = Client()
    olle.force_login(User.objects.get(username="olle"))
    assert decide(olle, asked, "approve") == 302
    membership = Membership.objects.get(user__username="rita")
    assert (membership.role, [i.code for i in membership.interventions.all()]) == ("registrar", ["STEG"])


def test_the_one_a_request_is_for_cannot_decide_it(office: Association) -> None:
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    olle = User.objects.get(username="olle")
    karin.post(USERS.format(slug=office.slug), {"username": "olle", "role": "dpo"})
    asked = RoleRequest.objects.get(user=olle)
    client = Client()
    client.force_login(olle)
    assert decide(client, asked, "approve") == 403
    assert not Membership.objects.filter(user=olle, role=Role.DATA_PROTECTION_OFFICER).exists()


def test_an_administrator_cannot_make_herself_a_second_administrator(office: Association) -> None:
    """The sock puppet: an account karin creates is hers (she is shown its password); made an administrator
    or a data protection officer at once, it could approve her own request."""
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    for username, role in (("karin2", "office_admin"), ("karin3", "dpo")):
        response = karin.post(USERS.format(slug=office.slug), {"username": username, "role": role})
        assert response.status_code == 200
        assert not Membership.objects.filter(user__username=username).exists()
        assert RoleRequest.objects.get(user__username=username).status == RoleRequest.Status.PENDING


def test_roles_without_personal_data_are_given_at_once(office: Association) -> None:
    User.objects.create_user(username="erik")
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    response = karin.post(
        USERS.format(slug=office.slug), {"username": "erik", "role": "economist"}, follow=True
    )
    assert "Rollen är tilldelad erik." in response.content.decode()
    assert Membership.objects.filter(user__username="erik", role=Role.ECONOMIST).exists()
    assert not RoleRequest.objects.exists()


def test_a_second_request_for_the_same_role_waits_for_the_first(office: Association) -> None:
    steg = office.interventions.get()
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    data = {"username": "olle", "role": "registrar", "interventions": [steg.pk]}
    assert karin.post(USERS.format(slug=office.slug), data).status_code == 302
    response = karin.post(USERS.format(slug=office.slug), data)
    assert "olle har redan en begäran om rollen som väntar på beslut." in response.content.decode()
    assert RoleRequest.objects.count() == 1


def test_a_command_grants_directly_and_the_trail_names_it(office: Association) -> None:
    steg = office.interventions.get()
    rita = User.objects.create_user(username="rita")
    services.grant_role(Actor.command("setup"), rita, office, Role.REGISTRAR, [steg])
    assert Membership.objects.filter(user=rita, role=Role.REGISTRAR).exists()
    entry = AuditEntry.objects.get(action="membership.grant", after__user="rita")
    assert entry.source == "finsam setup" and entry.actor.endswith("(kommandorad)")
    assert not RoleRequest.objects.exists()


def test_a_decision_needs_a_recent_second_factor(office: Association) -> None:
    """Like a new password: a session that has not recently proved the second factor is asked for a code."""
    karin = Client()
    karin.force_login(User.objects.get(username="karin"))
    karin.post(USERS.format(slug=office.slug), {"username": "olle", "role": "dpo"})
    asked = RoleRequest.objects.get()
    dora = testing.user("dora", (office, Role.DATA_PROTECTION_OFFICER))
    device = TOTPDevice.objects.create(user=dora, name=services.TOTP_NAME, confirmed=False)
    services.confirm_totp(testing.SYSTEM, dora, device)
    client = Client()
    client.force_login(dora)
    url = f"{REQUESTS.format(slug=office.slug)}{asked.pk}/"
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/verifiera/")
    asked.refresh_from_db()
    assert asked.status == RoleRequest.Status.PENDING
    assert client.post("/konto/verifiera/", {"code": code_for(device)}).status_code == 302
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert Membership.objects.filter(user__username="olle", role=Role.DATA_PROTECTION_OFFICER).exists()
