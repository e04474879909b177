"""Files people upload: what they really are, how large, under which name.

One sniffer for every upload of the platform (application attachments, report evidence,
visit photos, competition and council documents, NGO imports). The type is read from the
content, never from the name or the content type the browser sent:

- PDF: `%PDF-` at the very start, no HTML in the first KiB (what a browser would sniff) and
  no ZIP archive hidden at its end (a PDF/ZIP polyglot);
- Word and Excel 97–2003: an OLE2 file with a WordDocument or Workbook stream;
- DOCX, XLSX: a ZIP whose `[Content_Types].xml` declares the main part of a document or a
  workbook without macros (DOCM and XLSM are refused, and so is any `vbaProject.bin`);
- ODT: a ZIP whose `mimetype` says so;
- JPEG, PNG, WebP: by their signatures; `check` re-encodes them from their pixels, so no
  metadata (EXIF with the GPS position) and nothing appended to them survives;
- CSV: UTF-8 text without NUL bytes that does not look like markup.

Anything else (SVG, HTML, GIF, executables, archives) is None: refused by every use.

Pure: bytes in, answers out; raises `Refused` with a reason the caller words for the user.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Final

from . import images

__all__ = [
    "CSV",
    "DOC",
    "DOCX",
    "EXTENSIONS",
    "IMAGES",
    "JPEG",
    "ODT",
    "PDF",
    "PNG",
    "WEBP",
    "XLS",
    "XLSX",
    "Checked",
    "Refused",
    "check",
    "read_limited",
    "safe_name",
    "sniff",
]

PDF: Final = "application/pdf"
DOC: Final = "application/msword"
XLS: Final = "application/vnd.ms-excel"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT: Final = "application/vnd.oasis.opendocument.text"
JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
WEBP: Final = "image/webp"
CSV: Final = "text/csv"

EXTENSIONS: Final = {
    PDF: "pdf",
    DOC: "doc",
    XLS: "xls",
    DOCX: "docx",
    XLSX: "xlsx",
    ODT: "odt",
    JPEG: "jpg",
    PNG: "png",
    WEBP: "webp",
    CSV: "csv",
}
# Other spellings of an extension a name may keep as it is.
_ALSO: Final = {"jpg": ("jpeg", "jpe")}
IMAGES: Final = frozenset({JPEG, PNG, WEBP})

_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP: Final = b"PK\x03\x04"
# What makes a browser (or a person opening the download) take bytes for a web page.
_MARKUP: Final = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<img",
    b"<meta",
    b"<object",
    b"<embed",
    b"<?xml",
)
_SNIFFED: Final = 1024  # browsers look at the first 512 bytes; a margin
_CONTENT_TYPES_LIMIT: Final = 1024 * 1024
# The most a ZIP-based document may say it unpacks to (a zip bomb says far more).
_UNPACKED_LIMIT: Final = 512 * 1024 * 1024
_DOCX_MAIN: Final = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
_XLSX_MAIN: Final = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
NAME_LENGTH: Final = 200


class Refused(ValueError):
    """Why an upload is refused: `empty`, `too_large` (with `limit`, bytes), `type` (not one
    of the kinds allowed for this use), `picture` (an image that cannot be decoded) or
    `pixels` (an image of more than `limit` pixels: a decompression bomb)."""

    def __init__(self, reason: str, *, limit: int = 0, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.limit = limit


@dataclass(frozen=True)
class Checked:
    """An upload that passed: the bytes to store (images re-encoded), its real type, the
    extension to store it under, a safe name to show and its pixels if it is an image."""

    data: bytes
    content_type: str
    extension: str
    name: str
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGES


def sniff(data: bytes) -> str | None:
    """The real type of a file from its content (one of the constants above), else None."""
    if data.startswith(b"%PDF-"):
        return PDF if _is_clean_pdf(data) else None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(_OLE2):
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
            return XLS
        return None
    if data.startswith(_ZIP):
        return _zip_document(data)
    if _is_text(data):
        return CSV
    return None


def _has_markup(head: bytes) -> bool:
    lowered = head.lower()
    return any(tag in lowered for tag in _MARKUP)


def _is_clean_pdf(data: bytes) -> bool:
    """No HTML where a browser sniffs and no ZIP archive at the end (PDF readers skip what
    follows `%%EOF`, ZIP readers read from the end: one file, two meanings)."""
    if _has_markup(data[:_SNIFFED]):
        return False
    return not zipfile.is_zipfile(io.BytesIO(data))


def _zip_document(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > _UNPACKED_LIMIT:
                return None
            names = {member.filename for member in members}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _CONTENT_TYPES_LIMIT:
                    return None
                declared = archive.read(info)
                if "word/document.xml" in names and _DOCX_MAIN in declared:
                    return DOCX
                if "xl/workbook.xml" in names and _XLSX_MAIN in declared:
                    return XLSX
                return None
            if (
                "mimetype" in names
                and archive.getinfo("mimetype").file_size < 100
                and archive.read("mimetype").strip() == ODT.encode()
            ):
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, RuntimeError):
        return None
    except (OSError, EOFError, NotImplementedError):  # damaged or unsupported compression
        return None
    return None


def _is_text(data: bytes) -> bool:
    """UTF-8 text (a table of rows) and not a web page or an SVG picture."""
    if not data or b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not (data.lstrip().startswith(b"<") or _has_markup(data[:_SNIFFED]))


def read_limited(handle: IO[bytes], limit: int, *, declared: int | None = None) -> bytes:
    """At most `limit` bytes of an upload, read from its start; Refused (`too_large`,
    `empty`) otherwise. The declared size is trusted only to refuse early."""
    if declared is not None and declared > limit:
        raise Refused("too_large", limit=limit)
    handle.seek(0)
    data = handle.read(limit + 1)
    handle.seek(0)
    if len(data) > limit:
        raise Refused("too_large", limit=limit)
    if not data:
        raise Refused("empty")
    return bytes(data)


def safe_name(name: str | None, extension: str, *, default: str = "file") -> str:
    """The name to show and offer for download: its last path component only (no `../`,
    no drive or folder), without control or direction-changing characters, no leading dot,
    ending in the extension of its real type, at most 200 characters."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    base = base.strip().lstrip(".").strip() or default
    suffix = base.rpartition(".")[2].lower() if "." in base else ""
    if suffix != extension and suffix not in _ALSO.get(extension, ()):
        base = f"{base}.{extension}"
        suffix = extension
    if len(base) > NAME_LENGTH:
        stem = base[: -(len(suffix) + 1)]
        base = f"{stem[: NAME_LENGTH - len(suffix) - 1].rstrip()}.{suffix}"
    return base


def check(data: bytes, *, name: str | None, allowed: frozenset[str], limit: int) -> Checked:
    """The upload as it may be stored, for a use that accepts the types in `allowed` up to
    `limit` bytes; images are re-encoded from their pixels (no metadata, nothing appended).
    CPU-heavy for images: call it before opening a database transaction."""
    if len(data) > limit:
        raise Refused("too_large", limit=limit)
    if not data:
        raise Refused("empty")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise Refused("type", detail=kind or "unknown")
    width = height = None
    if kind in IMAGES:
        try:
            data, kind, width, height = images.strip_metadata(data)
        except images.TooManyPixels as exc:
            raise Refused("pixels", limit=images.MAX_PIXELS, detail=str(exc)) from exc
        except ValueError as exc:
            raise Refused("picture", detail=str(exc)) from exc
        if kind not in allowed:  # pragma: no cover - strip_metadata keeps the format
            raise Refused("type", detail=kind)
    extension = EXTENSIONS[kind]
    return Checked(
        data=data,
        content_type=kind,
        extension=extension,
        name=safe_name(name, extension),
        width=width,
        height=height,
    )
