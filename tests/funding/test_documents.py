"""Documents of a competition: public files under MEDIA_ROOT, typed by their content, added
while the competition is a draft or announced, removed by the organiser before the deadline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import DomainError
from ortaq.funding.competitions import services
from ortaq.funding.models import CompetitionDocument
from ortaq.lib import files
from tests.access import Cast, HttpRow, assert_http_matrix
from tests.lib import hostile

from . import factories as f

pytestmark = pytest.mark.django_db

ORGANISERS = frozenset({"official", "regional_admin"})
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n%%EOF\n"
DOC = OLE2 + b"\0" * 64 + "WordDocument".encode("utf-16-le")
XLS = OLE2 + b"\0" * 64 + "Workbook".encode("utf-16-le")
DOCX = hostile.DOCX_BYTES
XLSX = hostile.XLSX_BYTES
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _add(cast: Cast, comp: Any, data: bytes = PDF, name: str = "terms.pdf", title: str = "T"):
    return services.competition_document_add(
        actor=cast.users["official"],
        competition=comp,
        title=title,
        upload=SimpleUploadedFile(name, data),
    )


@pytest.mark.parametrize(
    ("data", "name", "kind", "extension"),
    [
        (PDF, "terms.pdf", "application/pdf", "pdf"),
        (DOC, "form.doc", "application/msword", "doc"),
        (DOCX, "form.docx", files.DOCX, "docx"),
        (ODT, "form.odt", "application/vnd.oasis.opendocument.text", "odt"),
        (XLS, "budget.xls", "application/vnd.ms-excel", "xls"),
        (XLSX, "budget.xlsx", files.XLSX, "xlsx"),
    ],
)
def test_organiser_adds_a_document_of_each_accepted_type(
    cast: Cast, media: Path, data: bytes, name: str, kind: str, extension: str
) -> None:
    comp = f.competition(cast)
    document = _add(cast, comp, data, name, title="  Terms of the competition ")
    assert document.title == "Terms of the competition"
    assert document.original_name == name
    assert document.content_type == kind
    assert document.size == len(data)
    assert document.file.name.startswith(f"competitions/{comp.pk}/")
    assert document.file.name.endswith(f".{extension}")
    assert (media / document.file.name).read_bytes() == data
    assert document.file.url == f"/media/{document.file.name}"
    entry = AuditEntry.objects.get(action="funding.competition.document")
    assert entry.changes == {
        "competition": comp.pk,
        "title": "Terms of the competition",
        "name": name,
        "size": len(data),
    }


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "terms.pdf"),
        (b"plain text", "terms.docx"),
        (_zip({"readme.txt": b"x"}), "terms.xlsx"),
        (OLE2 + b"\0" * 64, "terms.doc"),
    ],
)
def test_document_type_is_read_from_the_content_not_the_name(
    cast: Cast, data: bytes, name: str
) -> None:
    comp = f.competition(cast)
    with pytest.raises(DomainError, match="Only PDF, DOC, DOCX, ODT, XLS and XLSX"):
        _add(cast, comp, data, name)
    assert not CompetitionDocument.objects.exists()


def test_document_size_is_limited_by_the_setting(cast: Cast, settings: Any) -> None:
    settings.FUNDING_DOCUMENT_MAX_BYTES = len(PDF) - 1
    comp = f.competition(cast)
    with pytest.raises(DomainError, match="too large"):
        _add(cast, comp)
    settings.FUNDING_DOCUMENT_MAX_BYTES = len(PDF)
    assert _add(cast, comp).size == len(PDF)


def test_documents_are_added_only_to_a_draft_or_announced_competition(cast: Cast) -> None:
    comp = f.announced(cast)
    assert _add(cast, comp).competition == comp
    f.pass_deadline(comp)
    services.competition_close(actor=cast.users["official"], competition=comp)
    with pytest.raises(DomainError, match="only before the application deadline"):
        _add(cast, comp)
    assert CompetitionDocument.objects.count() == 1


def test_only_the_organiser_adds_or_removes_documents(cast: Cast) -> None:
    comp = f.competition(cast)
    with pytest.raises(DomainError, match="Only the organiser"):
        services.competition_document_add(
            actor=cast.users["ngo_admin"],
            competition=comp,
            title="T",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    document = _add(cast, comp)
    with pytest.raises(DomainError, match="Only the organiser"):
        services.competition_document_remove(actor=cast.users["expert"], document=document)
    assert list(CompetitionDocument.objects.all()) == [document]


def test_organiser_removes_a_document_before_the_deadline_only(
    cast: Cast, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    comp = f.announced(cast)
    first, second = _add(cast, comp, title="First"), _add(cast, comp, title="Second")
    path = media / first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.competition_document_remove(actor=cast.users["official"], document=first)
    assert list(CompetitionDocument.objects.all()) == [second]
    assert not path.exists()
    entry = AuditEntry.objects.get(action="funding.competition.document.remove")
    assert entry.changes == {"competition": comp.pk, "title": "First", "name": "terms.pdf"}
    f.pass_deadline(comp)
    with pytest.raises(DomainError, match="no longer be removed"):
        services.competition_document_remove(actor=cast.users["official"], document=second)
    assert list(CompetitionDocument.objects.all()) == [second]


def test_public_page_lists_the_documents(cast: Cast) -> None:
    comp = f.announced(cast)
    document = _add(cast, comp, title="Конкурстық құжаттама")
    page = Client().get(f"/en/funding/competitions/{comp.pk}/").content.decode()
    assert "Конкурстық құжаттама" in page
    assert f'href="/media/{document.file.name}"' in page


def test_organiser_uploads_and_removes_through_the_desk(cast: Cast) -> None:
    comp = f.announced(cast)
    client = Client()
    client.force_login(cast.users["official"])
    response = client.post(
        f"/en/funding/manage/competitions/{comp.pk}/documents/",
        {"title": "Budget form", "file": SimpleUploadedFile("b.xlsx", XLSX)},
    )
    assert response.status_code == 302
    document = CompetitionDocument.objects.get()
    assert (document.title, document.content_type) == ("Budget form", files.XLSX)
    page = client.get(f"/en/funding/manage/competitions/{comp.pk}/").content.decode()
    assert "Budget form" in page
    assert f"/en/funding/manage/documents/{document.pk}/remove/" in page
    client.post(f"/en/funding/manage/documents/{document.pk}/remove/")
    assert not CompetitionDocument.objects.exists()


def _count(url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert Client().get(url).status_code == 200
    return len(ctx.captured_queries)


def test_competition_page_query_count_does_not_grow_with_documents(cast: Cast) -> None:
    comp = f.announced(cast)
    url = f"/en/funding/competitions/{comp.pk}/"
    _add(cast, comp)
    one = _count(url)
    _add(cast, comp)
    _add(cast, comp)
    assert _count(url) == one


def test_access_matrix_of_document_routes(cast: Cast) -> None:
    comp = f.announced(cast)

    def fresh(c: Cast) -> None:
        c.objects["document"] = _add(c, comp)

    fresh(cast)
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "upload a document",
                "POST",
                lambda c: f"/en/funding/manage/competitions/{comp.pk}/documents/",
                ORGANISERS,
                data=lambda c: {"title": "Terms", "file": SimpleUploadedFile("terms.pdf", PDF)},
                ok=302,
                done=lambda c, r: CompetitionDocument.objects.filter(title="Terms").exists(),
                reset=lambda c: CompetitionDocument.objects.filter(title="Terms").delete(),
            ),
            HttpRow(
                "remove a document",
                "POST",
                lambda c: f"/en/funding/manage/documents/{c.objects['document'].pk}/remove/",
                ORGANISERS,
                reset=fresh,
                ok=302,
            ),
        ],
    )
