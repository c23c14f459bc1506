from __future__ import annotations

import weasyprint

from finsam.core.documents import Document
from finsam.reports.render.html import render_html


def render_pdf(document: Document) -> bytes:
    html = render_html(document)
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
