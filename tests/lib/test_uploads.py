"""Every upload path of the platform goes through `ortaq.lib.files`: the hostile corpus is
refused or neutralised by each service, pictures lose their metadata and are decoded outside
the database transaction, and private files are served as downloads the browser never
sniffs."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.utils import translation
from PIL import ExifTags, Image

from ortaq.core.errors import DomainError
from ortaq.councils import services as councils
from ortaq.councils.models import AgendaDocument, Meeting
from ortaq.funding.competitions import services as funding
from ortaq.funding.models import Attachment, CompetitionDocument, ReportEvidence, VisitPhoto
from ortaq.funding.monitoring import services as monitoring
from ortaq.funding.reports import services as reports
from ortaq.lib import files, images
from ortaq.registry import report_services as registry
from ortaq.registry.models import ImportJob
from tests.access import Cast
from tests.councils.conftest import make_composition, make_council
from tests.funding import factories as f
from tests.funding import monitoring_factories as m
from tests.funding import reports_helpers as h

from . import hostile

pytestmark = pytest.mark.django_db

LIMIT = 200_000
PIXELS = "The picture is too large: at most 24 megapixels. Make it smaller and upload it again."
TOO_LARGE = "The file is too large: at most 1 MB."


@pytest.fixture(autouse=True)
def _storage(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.FUNDING_ATTACHMENT_MAX_BYTES = LIMIT
    settings.FUNDING_DOCUMENT_MAX_BYTES = LIMIT
    settings.COUNCIL_DOCUMENT_MAX_BYTES = LIMIT
    settings.REGISTRY_IMPORT_MAX_BYTES = LIMIT


def _agenda_item(cast: Cast) -> Any:
    council = make_council(cast.objects["state_body"])
    meeting = Meeting.objects.create(
        council=council,
        composition=make_composition(council),
        starts_at="2024-03-15T10:00:00+05:00",
        place="Kyzylorda",
    )
    return councils.agenda_item_add(actor=None, meeting=meeting, topic_kk="Есеп", topic_ru="Отчёт")


@dataclass(frozen=True)
class Target:
    """One upload path: what it accepts, how it is called, what it stores."""

    name: str
    allowed: frozenset[str]
    refused: str
    model: type[Model]
    add: Callable[[Cast, SimpleUploadedFile], Any]
    folder: str
    shown_name: str = "original_name"


TARGETS = [
    Target(
        "application attachment",
        frozenset({files.PDF, files.PNG, files.JPEG}),
        "Only PDF files and PNG or JPEG images are accepted.",
        Attachment,
        lambda cast, upload: funding.attachment_add(
            actor=cast.users["ngo_admin"],
            application=f.draft(cast, f.announced(cast)),
            upload=upload,
        ),
        "private",
    ),
    Target(
        "report evidence",
        frozenset({files.PDF, files.PNG, files.JPEG, files.WEBP}),
        "Only PDF files and JPEG, PNG or WebP photos are accepted.",
        ReportEvidence,
        lambda cast, upload: reports.evidence_upload(
            actor=cast.users["ngo_admin"], report=h.first(h.contract(cast)), upload=upload
        ),
        "private",
    ),
    Target(
        "visit photo",
        files.IMAGES,
        "Only JPEG, PNG and WebP photos are accepted.",
        VisitPhoto,
        lambda cast, upload: monitoring.visit_photo_add(
            actor=cast.users["official"], visit=m.visit(cast, f.contract(cast)), upload=upload
        ),
        "private",
    ),
    Target(
        "competition document",
        frozenset({files.PDF, files.DOC, files.DOCX, files.ODT, files.XLS, files.XLSX}),
        "Only PDF, DOC, DOCX, ODT, XLS and XLSX files are accepted.",
        CompetitionDocument,
        lambda cast, upload: funding.competition_document_add(
            actor=cast.users["official"], competition=f.announced(cast), title="T", upload=upload
        ),
        "public",
    ),
    Target(
        "agenda document",
        frozenset({files.PDF, files.DOC, files.DOCX, files.ODT}),
        "Only PDF, DOC, DOCX and ODT documents are accepted.",
        AgendaDocument,
        lambda cast, upload: councils.agenda_document_add(
            actor=None, item=_agenda_item(cast), upload=upload
        ),
        "public",
    ),
    Target(
        "NGO import",
        frozenset({files.CSV, files.XLSX}),
        "Upload a CSV file in UTF-8 or an XLSX file.",
        ImportJob,
        lambda cast, upload: registry.import_job_create(
            actor=cast.users["regional_admin"], file_name=upload.name, content=upload
        ),
        "public",
        shown_name="file_name",
    ),
]


def _expected_refusal(sample: hostile.Sample, target: Target) -> str:
    if sample.reason == "too_large":
        return TOO_LARGE
    if sample.reason == "pixels" and target.allowed & files.IMAGES:
        return PIXELS
    return target.refused


@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
@pytest.mark.parametrize(
    "sample", hostile.corpus(oversized=LIMIT), ids=lambda sample: sample.name.rsplit("/", 1)[-1]
)
def test_every_upload_path_refuses_or_neutralises_every_hostile_file(
    cast: Cast, tmp_path: Path, sample: hostile.Sample, target: Target
) -> None:
    upload = SimpleUploadedFile(sample.name, sample.data, content_type=sample.content_type)
    if sample.kind is None or sample.kind not in target.allowed:
        with pytest.raises(DomainError) as refused:
            target.add(cast, upload)
        assert (str(refused.value.message), refused.value.field) == (
            _expected_refusal(sample, target),
            "file",
        )
        assert not target.model.objects.exists()
        return
    stored = target.add(cast, upload)
    root = (tmp_path / target.folder).resolve()
    path = Path(stored.file.path).resolve()
    assert path.is_relative_to(root)
    assert ".." not in stored.file.name
    safe = files.safe_name(sample.name, files.EXTENSIONS[sample.kind])
    assert getattr(stored, target.shown_name) == safe
    assert safe.rsplit(".", 1)[0] not in path.name  # stored under a random name
    data = path.read_bytes()
    assert hostile.PAYLOAD not in data
    if sample.kind == files.JPEG:
        assert b"PK\x03\x04" not in data  # the appended archive is gone: re-encoded
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (12, 10)


def test_a_decompression_bomb_is_refused_in_the_user_s_language(cast: Cast) -> None:
    with translation.override("ru"), pytest.raises(DomainError) as refused:
        funding.attachment_add(
            actor=cast.users["ngo_admin"],
            application=f.draft(cast, f.announced(cast)),
            upload=SimpleUploadedFile("scan.png", hostile.png_bomb()),
        )
    assert str(refused.value.message) == (
        "Изображение слишком большое: не более 24 мегапикселей. Уменьшите его и загрузите снова."
    )
    with translation.override("kk"), pytest.raises(DomainError) as refused:
        reports.evidence_upload(
            actor=cast.users["ngo_admin"],
            report=h.first(h.contract(cast)),
            upload=SimpleUploadedFile("scan.jpg", hostile.jpeg_bomb()),
        )
    assert str(refused.value.message) == (
        "Сурет тым үлкен: 24 мегапиксельден аспауы керек. Оны кішірейтіп, қайта жүктеңіз."
    )


def test_application_attachments_lose_their_exif_gps(cast: Cast, tmp_path: Path) -> None:
    original = h.jpeg_with_gps()
    attachment = funding.attachment_add(
        actor=cast.users["ngo_admin"],
        application=f.draft(cast, f.announced(cast)),
        upload=SimpleUploadedFile("IMG_0001.jpg", original),
    )
    stored = Path(attachment.file.path).read_bytes()
    assert (attachment.content_type, attachment.original_name, attachment.size) == (
        "image/jpeg",
        "IMG_0001.jpg",
        len(stored),
    )
    for trace in (b"Exif", b"PhoneMaker", b"GPSLatitude", b"xmpmeta"):
        assert trace not in stored
    with Image.open(io.BytesIO(stored)) as clean:
        assert clean.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert clean.size == (20, 40)  # turned upright


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", TARGETS[:3], ids=lambda target: target.name)
def test_pictures_are_decoded_outside_the_database_transaction(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, target: Target
) -> None:
    """The re-encoding takes seconds for a large photo: inside the transaction it would hold
    the database's write lock all that time."""
    seen: list[bool] = []
    strip = images.strip_metadata

    def watched(data: bytes) -> tuple[bytes, str, int, int]:
        seen.append(connection.in_atomic_block)
        return strip(data)

    monkeypatch.setattr(images, "strip_metadata", watched)
    stored = target.add(cast, SimpleUploadedFile("IMG.jpg", h.jpeg_with_gps()))
    assert seen == [False]
    assert stored.content_type == "image/jpeg"


# --- Serving private files --------------------------------------------------------------------


def _get(cast: Cast, role: str, url: str) -> Any:
    client = Client()
    client.force_login(cast.users[role])
    return client.get(url)


def test_private_files_are_downloads_the_browser_does_not_sniff(cast: Cast) -> None:
    application = f.draft(cast, f.announced(cast))
    attachment = funding.attachment_add(
        actor=cast.users["ngo_admin"],
        application=application,
        upload=SimpleUploadedFile("устав.pdf", hostile.PDF_BYTES),
    )
    made = h.contract(cast)
    evidence = reports.evidence_upload(
        actor=cast.users["ngo_admin"],
        report=h.first(made),
        upload=SimpleUploadedFile("p.jpg", h.jpeg_with_gps()),
    )
    visit = m.visit(cast, f.contract(cast))
    photo = monitoring.visit_photo_add(
        actor=cast.users["official"], visit=visit, upload=m.upload(m.jpeg_with_gps())
    )
    for role, url, content_type, name in [
        ("ngo_admin", f"/en/funding/attachments/{attachment.pk}/", "application/pdf", "%D1%83"),
        ("ngo_member", f"/en/funding/evidence/{evidence.pk}/", "image/jpeg", "p.jpg"),
        ("official", f"/en/funding/monitoring/photos/{photo.pk}/", "image/jpeg", "photo.jpg"),
    ]:
        response = _get(cast, role, url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert name in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"


def test_a_refused_import_file_is_explained_on_the_page_in_the_user_s_language(
    cast: Cast,
) -> None:
    client = Client()
    client.force_login(cast.users["regional_admin"])
    response = client.post(
        "/ru/ngos/import/",
        {"file": SimpleUploadedFile("ngos.csv", hostile.HTML, "text/csv"), "dry_run": "on"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Загрузите файл CSV в кодировке UTF-8 или файл XLSX." in html
    assert 'id="id_dry_run" checked' in html  # what was chosen is kept
    assert not ImportJob.objects.exists()
