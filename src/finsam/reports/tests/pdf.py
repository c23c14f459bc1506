"""Reading a rendered PDF back as text, page by page, with poppler's pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_pages(content: bytes, tmp_path: Path) -> list[list[str]]:
    """Each page's non-empty lines, spaces collapsed, without the footer (association and "n (N)")."""
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for page in text.split("\f")[:-1]:
        lines = [" ".join(line.split()) for line in page.splitlines()]
        lines = [line for line in lines if line]
        pages.append(lines[:-1])  # the last line is the page's footer
    return pages
