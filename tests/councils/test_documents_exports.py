"""Agenda documents uploaded to a meeting (type read from the content) and the CSV / XLSX
exports of the recommendations list and the tracker."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from ortaq.core.errors import DomainError
from ortaq.councils import selectors, services
from ortaq.councils.models import AgendaDocument, Recommendation
from ortaq.lib.files import DOC, DOCX, ODT, PDF, sniff
from tests.access import Cast
from tests.factories import StateBodyFactory
from tests.lib import hostile

from .conftest import CouncilWorld

pytestmark = pytest.mark.django_db


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
DOCX_BYTES = hostile.DOCX_BYTES
ODT_BYTES = _zip({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"})
DOC_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "WordDocument".encode("utf-16-le")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, PDF),
        (DOCX_BYTES, DOCX),
        (ODT_BYTES, ODT),
        (DOC_BYTES, DOC),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, None),
        (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}), None),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, None),  # an OLE2 file, not Word
        (b"PK\x03\x04 not really a zip", None),
        (b"MZ\x90\x00", None),
    ],
    ids=["pdf", "docx", "odt", "doc", "png", "xlsx", "ods", "ole-not-word", "broken-zip", "exe"],
)
def test_the_type_is_read_from_the_content(data: bytes, kind: str | None) -> None:
    found = sniff(data)
    assert (found if found in services.AGENDA_DOCUMENT_TYPES else None) == kind


def _item(world: CouncilWorld) -> Any:
    return services.agenda_item_add(
        actor=None, meeting=world.meeting, topic_kk="Есеп", topic_ru="Отчёт"
    )


def test_a_document_uploaded_through_the_meeting_page(
    world: CouncilWorld, cast: Cast, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    item = _item(world)
    secretary = Client()
    secretary.force_login(cast.users["ngo_member"])
    upload = SimpleUploadedFile("Report 2025.docx", DOCX_BYTES)
    response = secretary.post(f"/en/councils/items/{item.pk}/documents/", {"file": upload})
    assert response["Location"] == f"/en/councils/meetings/{world.meeting.pk}/"
    document = AgendaDocument.objects.get()
    assert (document.original_name, document.content_type, document.size) == (
        "Report 2025.docx",
        DOCX,
        len(DOCX_BYTES),
    )
    assert document.file.name.startswith(f"councils/documents/{world.meeting.pk}/")
    assert document.file.name.endswith(".docx")
    assert (media / document.file.name).read_bytes() == DOCX_BYTES
    page = Client().get(f"/en/councils/meetings/{world.meeting.pk}/").content.decode()
    assert f'<a href="/media/{document.file.name}" download="Report 2025.docx">' in page
    content = selectors.protocol_content(world.meeting)
    assert content["items"][0]["documents"] == [f"Report 2025.docx (/media/{document.file.name})"]

    # A PNG named .pdf is refused, whatever its name says.
    fake = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    response = secretary.post(
        f"/en/councils/items/{item.pk}/documents/", {"file": fake}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The document is attached to the agenda item.",
        "Only PDF, DOC, DOCX and ODT documents are accepted.",
    ]
    assert AgendaDocument.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(f"/en/councils/documents/{document.pk}/remove/")
    assert not AgendaDocument.objects.exists()
    assert not (media / document.file.name).exists()


def test_a_document_too_large_or_empty_is_refused(
    world: CouncilWorld, media: Path, settings: Any
) -> None:
    item = _item(world)
    settings.COUNCIL_DOCUMENT_MAX_BYTES = len(PDF_BYTES) - 1
    with pytest.raises(DomainError, match="The file is too large"):
        services.agenda_document_add(
            actor=None, item=item, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    settings.COUNCIL_DOCUMENT_MAX_BYTES = len(PDF_BYTES)
    document = services.agenda_document_add(
        actor=None, item=item, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    assert document.file.name.endswith(".pdf")
    with pytest.raises(DomainError, match="The file is empty"):
        services.agenda_document_add(actor=None, item=item, upload=SimpleUploadedFile("b.pdf", b""))


def test_documents_of_a_published_protocol_do_not_change(
    world: CouncilWorld, cast: Cast, media: Path
) -> None:
    item = _item(world)
    document = services.agenda_document_add(
        actor=None, item=item, upload=SimpleUploadedFile("a.odt", ODT_BYTES)
    )
    services.attendance_record(
        actor=None,
        meeting=world.meeting,
        present_ids=world.composition.members.values_list("pk", flat=True),
    )
    assert list(world.meeting.status_changes.values_list("from_status", "to_status")) == [
        ("planned", "held")
    ]
    version = services.protocol_generate(actor=None, meeting=world.meeting)
    services.protocol_approve(actor=cast.users["ngo_admin"], version=version)
    services.protocol_approve(actor=cast.users["ngo_member"], version=version)
    services.protocol_publish(actor=None, version=version)
    with pytest.raises(DomainError, match="The protocol is published"):
        services.agenda_document_add(
            actor=None, item=item, upload=SimpleUploadedFile("b.pdf", PDF_BYTES)
        )
    with pytest.raises(DomainError, match="The protocol is published"):
        services.agenda_document_remove(actor=None, document=document)
    assert version.content["items"][0]["documents"] == [f"a.odt (/media/{document.file.name})"]


# --- exports ---------------------------------------------------------------------------------


def _recommendations(world: CouncilWorld, cast: Cast) -> list[Recommendation]:
    item = _item(world)
    services.attendance_record(
        actor=None,
        meeting=world.meeting,
        present_ids=world.composition.members.values_list("pk", flat=True),
    )
    services.decision_record(actor=None, item=item, decision_kk="Ш", decision_ru="Р")
    other = StateBodyFactory(name_en="Other body", region=cast.objects["state_body"].region)
    made = [
        services.recommendation_create(
            actor=None,
            item=item,
            addressee=body,
            text_kk="",
            text_ru=text,
            sent_on=dt.date(2024, 3, 15),
        )
        for body, text in (
            (cast.objects["state_body"], "Первая"),
            (other, "Вторая"),
            (cast.objects["state_body"], "Третья"),
        )
    ]
    services.recommendation_answer(
        actor=None,
        recommendation=made[0],
        answer="accepted",
        reasons="Да",
        expected_version=made[0].version,
        today=dt.date(2024, 3, 20),
    )
    return made


def _csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_recommendations_export_is_the_filtered_list(world: CouncilWorld, cast: Cast) -> None:
    first, _second, third = _recommendations(world, cast)
    body = cast.objects["state_body"].pk
    response = Client().get(f"/en/councils/recommendations/?body={body}&export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="recommendations-')
    rows = _csv_rows(response)
    assert rows[0][:5] == ["Number", "Sent", "Council", "Addressed to", "Recommendation"]
    assert [(r[0], r[4], r[6], r[8], r[9]) for r in rows[1:]] == [
        (str(third.pk), "Третья", "Awaiting answer", "", ""),
        (str(first.pk), "Первая", "Answered", "Accepted", "2024-03-20"),
    ]
    assert rows[1][5] == third.due_on.isoformat()
    assert rows[1][7] == "yes"  # due in April 2024: overdue today

    response = Client().get(f"/en/councils/recommendations/?body={body}&status=sent&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [(v[0], v[4]) for v in values[1:]] == [(third.pk, "Третья")]
    assert Client().get("/en/councils/recommendations/?export=pdf").status_code == 404
    page = Client().get(f"/en/councils/recommendations/?body={body}&page=1").content.decode()
    assert f'href="?body={body}&amp;export=csv"' in page


def test_the_tracker_export_has_one_row_per_state_body(world: CouncilWorld, cast: Cast) -> None:
    _recommendations(world, cast)
    region = cast.objects["state_body"].region.code
    rows = _csv_rows(Client().get(f"/en/councils/tracker/?region={region}&export=csv"))
    assert rows[0] == [
        "State body",
        "Region",
        "Received",
        "Answered",
        "On time",
        "On time, %",
        "Accepted",
        "Partially",
        "Rejected",
        "Implemented",
        "Overdue",
    ]
    region_name = cast.objects["state_body"].region.name
    assert rows[1:] == [
        ["Kyzylorda department", region_name, "2", "1", "1", "50", "1", "0", "0", "0", "1"],
        ["Other body", region_name, "1", "0", "0", "0", "0", "0", "0", "0", "1"],
    ]
    response = Client().get("/en/councils/tracker/?region=00&export=xlsx")
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(values) == 1  # the header: no state body in that region
