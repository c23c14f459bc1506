"""Login throttling per user name and address, and per address alone (issue 13, hole 11)."""

from __future__ import annotations

import pytest
from django.test import Client

from finsam import testing

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str = "fel", address: str = "127.0.0.1") -> int:
    response = client.post(
        "/konto/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_many_user_names_from_one_address_lock_the_address(client: Client) -> None:
    testing.user("karin")
    # The attack: ten user names, two guesses each, from one address, all under the per-user limit.
    for name in [f"anvandare{i}" for i in range(10)]:
        for _ in range(2):
            attempt(client, name)
    assert attempt(client, "karin", testing.PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked.
    assert attempt(Client(), "karin", testing.PASSWORD, address="192.0.2.7") == 302


def test_below_the_address_limit_a_colleague_still_logs_in(client: Client) -> None:
    testing.user("karin")
    for name in [f"anvandare{i}" for i in range(19)]:
        attempt(client, name)
    assert attempt(client, "karin", testing.PASSWORD) == 302


def test_a_known_password_does_not_reset_the_address_count() -> None:
    testing.user("mallory")
    testing.user("karin")
    attacker = Client()
    for round_ in range(2):
        for name in [f"anvandare{i}" for i in range(5)]:
            attempt(attacker, name)
            attempt(attacker, name)
        if round_ == 0:
            assert attempt(attacker, "mallory", testing.PASSWORD) == 302
            attacker.post("/konto/logga-ut/")
    assert attempt(attacker, "karin", testing.PASSWORD) == 429


def test_a_users_own_count_is_still_five_and_cleared_by_her_login(client: Client) -> None:
    testing.user("karin")
    for _ in range(4):
        attempt(client, "karin")
    assert attempt(client, "karin", testing.PASSWORD) == 302
    client.post("/konto/logga-ut/")
    for _ in range(5):
        attempt(client, "karin")
    assert attempt(client, "karin", testing.PASSWORD) == 429
