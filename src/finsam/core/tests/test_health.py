"""`/halsa/` as a load balancer and a monitor read it: no login, never cached, 200 only when all is well."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from finsam.core import health
from finsam.core.models import WorkerBeat

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _worker_beat(at: dt.datetime) -> None:
    WorkerBeat.objects.create(worker="prov:1", seen_at=at)


@pytest.mark.django_db
def test_all_well_answers_200_with_every_part(settings: Settings) -> None:
    _worker_beat(timezone.now() - dt.timedelta(seconds=30))
    response = Client().get("/halsa/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert len(response["X-Request-ID"]) == 32
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["migrations"] == {"ok": True, "unapplied": []}
    assert body["worker"]["ok"] is True and 29 <= body["worker"]["seconds_since"] <= 60
    assert body["disk"]["ok"] is True and body["disk"]["free_bytes"] > 0
    assert body["disk"]["data_dir"] == settings.DATA_DIR.name  # the folder's name, never where it lies


@pytest.mark.django_db
def test_a_worker_never_seen_fails_the_check_with_a_reason() -> None:
    response = Client().get("/halsa/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fel"
    assert body["worker"] == {
        "ok": False,
        "last_seen": None,
        "message": "Jobbkön har aldrig fått svar från någon arbetare: starta finsam worker.",
    }
    assert body["database"]["ok"] and body["migrations"]["ok"] and body["disk"]["ok"]


def test_a_worker_silent_for_more_than_three_minutes_fails() -> None:
    just = health.worker(NOW - dt.timedelta(minutes=3), NOW)
    assert just == {"ok": True, "last_seen": "2026-12-07T11:57:00+00:00", "seconds_since": 180}
    late = health.worker(NOW - dt.timedelta(minutes=3, seconds=1), NOW)
    assert late["ok"] is False
    assert late["message"] == "Jobbköns arbetare hördes senast av för 3 minuter sedan."


@pytest.mark.django_db
def test_a_disk_below_the_threshold_fails(settings: Settings) -> None:
    _worker_beat(timezone.now())
    settings.HEALTH_MIN_FREE_BYTES = shutil.disk_usage(settings.DATA_DIR).free + 1024**3
    response = Client().get("/halsa/")
    assert response.status_code == 503
    disk = response.json()["disk"]
    assert disk["ok"] is False and disk["free_bytes"] < disk["min_free_bytes"]
    assert disk["message"] == "Det finns för lite ledigt utrymme för datakatalogen."


@pytest.mark.django_db
def test_an_unapplied_migration_is_named() -> None:
    _worker_beat(timezone.now())
    # The goals app's latest migration, as if a new release brought it and no one has migrated yet.
    (latest,) = MigrationLoader(connection).graph.leaf_nodes("goals")
    MigrationRecorder(connection).record_unapplied(*latest)
    body = Client().get("/halsa/").json()
    assert body["status"] == "fel"
    assert f"goals.{latest[1]}" in body["migrations"]["unapplied"]
    assert body["migrations"]["message"].endswith("migreringar återstår: kör finsam manage migrate.")


@pytest.mark.django_db
def test_it_answers_only_reading_methods() -> None:
    assert Client().post("/halsa/").status_code == 405
    assert Client().head("/halsa/").status_code == 503  # no worker has reported in
