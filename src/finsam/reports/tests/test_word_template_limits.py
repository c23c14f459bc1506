"""A zip-bomb Word template (issue 13): refused at upload with its reason, and never opened to render."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as WordDocument
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core import archives
from finsam.reports import services
from finsam.reports.render.docx import render_docx
from finsam.reports.tests.test_render_layout import small_document
from finsam.testdata import hostile

pytestmark = pytest.mark.django_db
MEGABYTE = 1024 * 1024


def upload(client: Client, slug: str, path: Path) -> str:
    content = SimpleUploadedFile("mall.docx", path.read_bytes())
    response = client.post(f"/f/{slug}/rapporter/word-mall/", {"template": content}, follow=True)
    return response.content.decode()


def test_a_zip_bomb_template_is_refused_with_its_reason(
    client: Client, tmp_path: Path, settings: Settings
) -> None:
    settings.DATA_DIR = tmp_path  # the template is a file in the data dir: keep it to this test
    assoc = testing.association()
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    bomb = hostile.docx_bomb(tmp_path / "bomb.docx", 2 * MEGABYTE)
    assert "Mallen är inte bytt: word/document.xml packas upp till mer än 100 gånger sin storlek" in upload(
        client, assoc.slug, bomb
    )
    large = hostile.docx_bomb(tmp_path / "stor.docx", 5 * MEGABYTE)
    assert "Mallen är inte bytt: word/document.xml är större än 4 MB uppackad" in upload(
        client, assoc.slug, large
    )
    assert services.word_template(assoc) is None
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "template": 16 * 1024}
    assert "Filen är större än 16 kB, det största som tas emot här." in upload(client, assoc.slug, bomb)


def test_a_template_put_in_the_data_dir_is_checked_before_it_is_opened(tmp_path: Path) -> None:
    bomb = hostile.docx_bomb(tmp_path / "mall.docx", 5 * MEGABYTE)
    with pytest.raises(archives.UnsafeArchive, match=r"word/document\.xml är större än 4 MB uppackad"):
        render_docx(small_document(), bomb)


def without(content: bytes, name: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The document with one member changed, or left out where the change gives None."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info) if info.filename != name else change(source.read(info))
            if data is not None:
                archive.writestr(info, data)
    return out.getvalue()


def test_templates_python_docx_cannot_open_are_refused_with_the_archives_message(
    client: Client, tmp_path: Path, settings: Settings
) -> None:
    """Reproducers of bench/fuzz_importers.py: a part the relationships name but the archive lacks (KeyError),
    a part that is not XML (XMLSyntaxError); each raised from python-docx, not as the template's refusal."""
    settings.DATA_DIR = tmp_path
    assoc = testing.association()
    blank = io.BytesIO()
    WordDocument().save(blank)
    missing = without(blank.getvalue(), "docProps/app.xml", lambda _xml: None)
    broken = without(
        blank.getvalue(), "word/styles.xml", lambda xml: xml.replace(b"<w:style ", b"<w:style <", 1)
    )
    unknown_encoding = without(  # LookupError from the archive's own check
        blank.getvalue(), "[Content_Types].xml", lambda xml: xml.replace(b"'UTF-8'", b"'U-0'", 1)
    )
    for content in (missing, broken, unknown_encoding):
        with pytest.raises(
            archives.UnsafeArchive, match=r"^filen är inte ett Word-dokument \(\.docx\) som går"
        ):
            services.set_word_template(testing.SYSTEM, assoc, content)
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    (tmp_path / "mall.docx").write_bytes(missing)
    assert "Mallen är inte bytt: filen är inte ett Word-dokument (.docx) som går att öppna." in upload(
        client, assoc.slug, tmp_path / "mall.docx"
    )
    assert services.word_template(assoc) is None
