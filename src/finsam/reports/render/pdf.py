from __future__ import annotations

from finsam.core.documents import Document
from finsam.reports.render.html import render_html


def render_pdf(document: Document) -> bytes:
    import weasyprint  # a second of start-up, paid only by the commands and requests that write a PDF

    html = render_html(document)
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
