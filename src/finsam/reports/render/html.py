from __future__ import annotations

from django.template.loader import render_to_string

from finsam.reports.document import Document


def render_html(document: Document, *, for_print: bool = False) -> str:
    return render_to_string("reports/document.html", {"doc": document, "for_print": for_print})
