from __future__ import annotations

from django import template

from finsam.core.documents import Cell, Column, Section, Table

register = template.Library()


@register.filter
def repeats_heading(section: Section, table: Table) -> bool:
    return section.repeats_heading(table)


@register.filter
def cell(row: dict[str, Cell], column: Column) -> str:
    return column.display(row.get(column.key))
