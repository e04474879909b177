"""Evidence of a report: PDFs and photos only, size-limited, photos stored without their
metadata, private (served by a permission-checked view), removed while the report is open."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from ortaq.core.errors import DomainError
from ortaq.funding.models import ReportEvidence
from ortaq.funding.reports import services
from tests.access import Cast

from . import reports_helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def test_a_photo_is_stored_without_exif_and_gps(cast: Cast, tmp_path: Path) -> None:
    made = h.contract(cast)
    evidence = services.evidence_upload(
        actor=cast.users["ngo_admin"],
        report=h.first(made),
        upload=h.upload("IMG_0001.jpg", h.jpeg_with_gps()),
        caption=" Тренинг в Аральске ",
    )
    assert (evidence.is_photo, evidence.content_type, evidence.caption) == (
        True,
        "image/jpeg",
        "Тренинг в Аральске",
    )
    stored = (tmp_path / evidence.file.name).read_bytes()
    assert evidence.file.name.startswith(f"reports/{h.first(made).pk}/")
    assert evidence.size == len(stored)
    assert b"Exif" not in stored
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as photo:
        assert dict(photo.getexif()) == {}
        assert photo.size == (20, 40)


def test_a_pdf_is_stored_as_it_is(cast: Cast, tmp_path: Path) -> None:
    made = h.contract(cast)
    pdf = b"%PDF-1.4\n1 0 obj\n%%EOF\n"
    evidence = services.evidence_upload(
        actor=cast.users["ngo_admin"], report=h.first(made), upload=h.upload("act.pdf", pdf)
    )
    assert (evidence.is_photo, evidence.content_type, evidence.original_name) == (
        False,
        "application/pdf",
        "act.pdf",
    )
    assert (tmp_path / evidence.file.name).read_bytes() == pdf


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "Only PDF files and JPEG, PNG or WebP photos are accepted."),
        ("fake.jpg", b"\xff\xd8\xff\xe0broken", "The picture cannot be read"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_other_files_are_refused(cast: Cast, name: str, data: bytes, message: str) -> None:
    made = h.contract(cast)
    with pytest.raises(DomainError, match=message) as error:
        services.evidence_upload(
            actor=cast.users["ngo_admin"], report=h.first(made), upload=h.upload(name, data)
        )
    assert error.value.field == "file"
    assert not ReportEvidence.objects.exists()


def test_the_size_is_limited_as_for_attachments(cast: Cast, settings: Any) -> None:
    settings.FUNDING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    made = h.contract(cast)
    with pytest.raises(DomainError, match=r"The file is too large: at most 1 MB\."):
        services.evidence_upload(
            actor=cast.users["ngo_admin"],
            report=h.first(made),
            upload=h.upload("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024)),
        )


def test_evidence_is_removed_only_while_the_report_is_open(
    cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    made = h.contract(cast)
    admin = cast.users["ngo_admin"]
    kept = services.evidence_upload(
        actor=admin, report=h.first(made), upload=h.upload("a.pdf", b"%PDF-1.4\n")
    )
    gone = services.evidence_upload(
        actor=admin, report=h.first(made), upload=h.upload("b.pdf", b"%PDF-1.4\n")
    )
    path = tmp_path / gone.file.name
    with pytest.raises(DomainError, match="Only an administrator of the NGO"):
        services.evidence_remove(actor=cast.users["ngo_member"], evidence=gone)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(actor=admin, evidence=gone)
    assert list(ReportEvidence.objects.values_list("original_name", flat=True)) == ["a.pdf"]
    assert not path.exists()
    h.submitted(cast, h.first(made))
    with pytest.raises(DomainError, match="cannot be changed"):
        services.evidence_remove(actor=admin, evidence=kept)
    with pytest.raises(DomainError, match="cannot be changed"):
        services.evidence_upload(
            actor=admin, report=h.first(made), upload=h.upload("c.pdf", b"%PDF-1.4\n")
        )


def test_download_follows_the_report_s_visibility(cast: Cast) -> None:
    made = h.contract(cast)
    draft_photo = services.evidence_upload(
        actor=cast.users["ngo_admin"],
        report=h.first(made),
        upload=h.upload("p.jpg", h.jpeg_with_gps()),
    )

    def get(role: str) -> Any:
        client = Client()
        client.force_login(cast.users[role])
        return client.get(f"/en/funding/evidence/{draft_photo.pk}/")

    response = get("ngo_member")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The draft is the NGO's: the customer sees its evidence once it is submitted.
    assert get("official").status_code == 404
    h.submitted(cast, h.first(made))
    assert get("official").status_code == 200
    for role in ("outsider_ngo_admin", "platform_admin", "other_regional_admin", "citizen"):
        assert get(role).status_code == 404, role
