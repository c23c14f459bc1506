from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def finsam(request: HttpRequest) -> dict[str, Any]:
    return {"finsam_demo": settings.DEMO, "finsam_env": settings.FINSAM_ENV}
