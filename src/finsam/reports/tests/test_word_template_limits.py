"""A zip-bomb Word template (issue 13): refused at upload with its reason, and never opened to render."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
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
