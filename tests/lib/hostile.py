"""A small corpus of files people should not be able to store, and of good files, built in
memory (tiny, reviewable, nothing binary committed).

Each `Sample` has the name and content type a hostile client would send, and `kind`: the type
the content really is when a use accepting that type may store it once neutralised (images
re-encoded, names made safe), or None when no use may store it at all."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
# A marker planted in polyglots: it must never reach the storage.
PAYLOAD = b"<script>alert(document.domain)</script>"


@dataclass(frozen=True)
class Sample:
    name: str
    data: bytes
    content_type: str
    kind: str | None  # None: refused by every use
    reason: str  # what `ortaq.lib.files.check` says when it refuses


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def content_types(main: str) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Override PartName="/main" ContentType="' + main.encode() + b'"/></Types>'
    )


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCX_BYTES = zip_of(
    {"[Content_Types].xml": content_types(DOCX_MAIN), "word/document.xml": b"<w:document/>"}
)
XLSX_BYTES = zip_of(
    {"[Content_Types].xml": content_types(XLSX_MAIN), "xl/workbook.xml": b"<workbook/>"}
)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 7000, height: int = 7000) -> bytes:
    """A valid greyscale PNG of width × height black pixels in a few tens of KB: the
    decompression bomb of the finding (49 megapixels)."""
    squeeze = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def jpeg_bomb(width: int = 7000, height: int = 7000) -> bytes:
    """A tiny JPEG whose frame header claims width × height pixels."""
    out = io.BytesIO()
    Image.new("L", (8, 8)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 10), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body>" + PAYLOAD + b"</body></html>"


def corpus(oversized: int) -> list[Sample]:
    """The hostile files; `oversized` is the size of the one that must be too large."""
    return [
        Sample("logo.png", SVG, "image/png", None, "type"),
        Sample("logo.svg", SVG, "image/svg+xml", None, "type"),
        Sample("contract.pdf", HTML, "application/pdf", None, "type"),
        Sample(
            "polyglot.pdf", b"%PDF-1.4\n" + HTML + b"\n%%EOF\n", "application/pdf", None, "type"
        ),
        Sample(
            "polyglot-zip.pdf",
            PDF_BYTES + zip_of({"index.html": HTML}),
            "application/pdf",
            None,
            "type",
        ),
        Sample(
            "macro.docx",
            zip_of(
                {
                    "[Content_Types].xml": content_types(
                        "application/vnd.ms-word.document.macroEnabled.main+xml"
                    ),
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\0" * 32,
                }
            ),
            DOCX_MAIN,
            None,
            "type",
        ),
        Sample("page.csv", HTML, "text/csv", None, "type"),
        Sample("big.pdf", PDF_BYTES + b"0" * oversized, "application/pdf", None, "too_large"),
        Sample("bomb.png", png_bomb(), "image/png", None, "pixels"),
        Sample("bomb.jpg", jpeg_bomb(), "image/jpeg", None, "pixels"),
        # Neutralised where its real type is accepted: stored re-encoded or under a safe name.
        Sample(
            "photo.jpg", small_jpeg() + zip_of({"x.html": PAYLOAD}), "image/jpeg", "image/jpeg", ""
        ),
        Sample(
            "../../../../etc/cron.d/evil.pdf", PDF_BYTES, "application/pdf", "application/pdf", ""
        ),
        Sample("..\\..\\windows\\ngos.csv", b"bin,name_kk\n1,A\n", "text/csv", "text/csv", ""),
    ]
