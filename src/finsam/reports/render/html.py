from __future__ import annotations

from django.template.loader import render_to_string

from finsam.core.documents import Document


def render_html(document: Document) -> str:
    """A whole HTML page; its print styles (A4, page numbers) are what WeasyPrint lays out for the PDF."""
    return render_to_string("reports/document.html", {"doc": document})
