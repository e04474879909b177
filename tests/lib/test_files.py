"""The one sniffer of uploads: the type from the content, a size limit, a safe name, and
pictures re-encoded (with a pixel limit against decompression bombs)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ortaq.lib import files
from ortaq.lib.images import MAX_PIXELS, TooManyPixels, strip_metadata

from . import hostile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EVERYTHING = frozenset(files.EXTENSIONS)
LIMIT = 200_000


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (hostile.PDF_BYTES, files.PDF),
        (OLE2 + b"\0" * 64 + "WordDocument".encode("utf-16-le"), files.DOC),
        (OLE2 + b"\0" * 64 + "Workbook".encode("utf-16-le"), files.XLS),
        (hostile.DOCX_BYTES, files.DOCX),
        (hostile.XLSX_BYTES, files.XLSX),
        (hostile.zip_of({"mimetype": files.ODT.encode(), "content.xml": b"<x/>"}), files.ODT),
        (hostile.small_jpeg(), files.JPEG),
        (hostile.png_bomb(4, 4), files.PNG),
        (b"RIFF\0\0\0\0WEBPVP8 ", files.WEBP),
        ("bin;name_ru\n123;Шапағат\n".encode(), files.CSV),
        # A ZIP whose parts look like a document but whose declared types do not.
        (
            hostile.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            None,
        ),
        (OLE2 + b"\0" * 64, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"MZ\x90\x00", None),
        (b"\x00\x01binary", None),
        (b"\xff\xfe not utf-8", None),
    ],
    ids=[
        "pdf",
        "doc",
        "xls",
        "docx",
        "xlsx",
        "odt",
        "jpeg",
        "png",
        "webp",
        "csv",
        "zip-without-types",
        "ole-unknown",
        "broken-zip",
        "gif",
        "exe",
        "binary",
        "latin",
    ],
)
def test_the_type_is_read_from_the_content(data: bytes, kind: str | None) -> None:
    assert files.sniff(data) == kind


@pytest.mark.parametrize(
    "sample", hostile.corpus(oversized=LIMIT), ids=lambda sample: sample.name.rsplit("/", 1)[-1]
)
def test_the_sniffer_refuses_or_neutralises_every_hostile_file(sample: hostile.Sample) -> None:
    if sample.kind is None:
        with pytest.raises(files.Refused) as refused:
            files.check(sample.data, name=sample.name, allowed=EVERYTHING, limit=LIMIT)
        assert refused.value.reason == sample.reason
        return
    checked = files.check(sample.data, name=sample.name, allowed=EVERYTHING, limit=LIMIT)
    assert checked.content_type == sample.kind
    assert "/" not in checked.name
    assert "\\" not in checked.name
    assert not checked.name.startswith(".")
    assert hostile.PAYLOAD not in checked.data
    assert b"PK\x03\x04" not in checked.data or sample.kind != files.JPEG


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded() -> None:
    bomb = hostile.png_bomb()
    assert len(bomb) < 200_000
    with Image.open(io.BytesIO(bomb)) as image:
        assert image.size == (7000, 7000)
    assert MAX_PIXELS < 7000 * 7000
    for data in (bomb, hostile.jpeg_bomb()):
        with pytest.raises(TooManyPixels, match="too many pixels: 7000×7000"):
            strip_metadata(data)
        with pytest.raises(files.Refused) as refused:
            files.check(data, name="x", allowed=files.IMAGES, limit=10**6)
        assert (refused.value.reason, refused.value.limit) == ("pixels", MAX_PIXELS)


def test_a_picture_claiming_billions_of_pixels_is_too_many_pixels_too() -> None:
    with pytest.raises(TooManyPixels):
        strip_metadata(hostile.jpeg_bomb(65000, 65000))


def test_a_photo_as_large_as_a_camera_s_is_accepted() -> None:
    out = io.BytesIO()
    Image.new("1", (6000, 4000)).save(out, "PNG")  # 24 megapixels
    checked = files.check(out.getvalue(), name="IMG.png", allowed=files.IMAGES, limit=10**6)
    assert (checked.content_type, checked.width, checked.height) == (files.PNG, 6000, 4000)


def test_size_limit_and_empty_files() -> None:
    with pytest.raises(files.Refused) as refused:
        files.check(hostile.PDF_BYTES, name="a.pdf", allowed=EVERYTHING, limit=10)
    assert (refused.value.reason, refused.value.limit) == ("too_large", 10)
    with pytest.raises(files.Refused) as refused:
        files.check(b"", name="a.pdf", allowed=EVERYTHING, limit=10)
    assert refused.value.reason == "empty"


def test_read_limited_reads_no_more_than_the_limit_plus_one() -> None:
    handle = io.BytesIO(b"x" * 100)
    assert files.read_limited(handle, 100) == b"x" * 100
    with pytest.raises(files.Refused, match="too_large"):
        files.read_limited(io.BytesIO(b"x" * 101), 100)
    with pytest.raises(files.Refused, match="too_large"):
        files.read_limited(io.BytesIO(b""), 100, declared=101)
    with pytest.raises(files.Refused, match="empty"):
        files.read_limited(io.BytesIO(b""), 100)


def test_a_type_not_allowed_for_the_use_is_refused() -> None:
    with pytest.raises(files.Refused) as refused:
        files.check(hostile.DOCX_BYTES, name="a.docx", allowed=files.IMAGES, limit=10**6)
    assert refused.value.reason == "type"


@pytest.mark.parametrize(
    ("name", "extension", "safe"),
    [
        ("устав.pdf", "pdf", "устав.pdf"),
        ("../../../../etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "pdf", "boot.ini.pdf"),
        ("C:\\Users\\me\\IMG_0001.JPEG", "jpg", "IMG_0001.JPEG"),
        ("photo.jpeg", "jpg", "photo.jpeg"),
        ("report.html", "pdf", "report.html.pdf"),
        (".htaccess", "pdf", "htaccess.pdf"),
        ("..", "pdf", "file.pdf"),
        ("", "csv", "file.csv"),
        ("invoice\u202egpj.exe", "pdf", "invoicegpj.exe.pdf"),
        ("a\x00b\r\n.pdf", "pdf", "ab.pdf"),
        ("x" * 300 + ".docx", "docx", "x" * 195 + ".docx"),
    ],
)
def test_the_name_is_made_safe(name: str, extension: str, safe: str) -> None:
    assert files.safe_name(name, extension) == safe
