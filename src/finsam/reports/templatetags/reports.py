from __future__ import annotations

from django import template

from finsam.core.documents import Cell, Column

register = template.Library()


@register.filter
def cell(row: dict[str, Cell], column: Column) -> str:
    return column.display(row.get(column.key))
