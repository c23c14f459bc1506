from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from finsam.core import formatting

register = template.Library()


@register.filter
def kr(value: Decimal | int | None) -> str:
    return "" if value is None else formatting.kronor(value)


@register.filter
def pct(value: Decimal | float | None, decimals: int = 1) -> str:
    return "" if value is None else formatting.percent(value, decimals)


@register.filter
def longdate(value: dt.date | None) -> str:
    return "" if value is None else formatting.long_date(value)
