"""Photos lose their metadata: EXIF (with GPS), XMP, profiles; the picture stays upright."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from ortaq.lib.images import strip_metadata
from tests.funding.reports_helpers import jpeg_with_gps


def test_a_jpeg_loses_its_exif_gps_and_xmp_and_is_turned_upright() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    data, content_type, width, height = strip_metadata(original)
    assert (content_type, width, height) == ("image/jpeg", 20, 40)
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.format == "JPEG"
        assert dict(clean.getexif()) == {}
        assert "xmp" not in clean.info
        assert "icc_profile" not in clean.info
        assert clean.size == (20, 40)
    for trace in (b"Exif", b"PhoneMaker", b"GPSLatitude", b"xmpmeta"):
        assert trace not in data


@pytest.mark.parametrize(("kind", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_keep_their_format_and_lose_their_exif(kind: str, content_type: str) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    source = io.BytesIO()
    Image.new("RGBA", (8, 6), (1, 2, 3, 128)).save(source, kind, exif=exif)
    assert b"PhoneMaker" in source.getvalue()
    data, found, width, height = strip_metadata(source.getvalue())
    assert (found, width, height) == (content_type, 8, 6)
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as clean:
        assert (clean.format, clean.mode) == (kind, "RGBA")
        assert dict(clean.getexif()) == {}


def test_png_text_chunks_are_dropped_and_a_palette_keeps_its_transparency() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Someone at home")
    picture = Image.new("P", (2, 1))
    picture.putpalette([255, 0, 0, 0, 255, 0])
    picture.putpixel((1, 0), 1)
    source = io.BytesIO()
    picture.save(source, "PNG", pnginfo=info, transparency=1)
    assert b"Someone at home" in source.getvalue()
    data, *_size = strip_metadata(source.getvalue())
    assert b"Someone at home" not in data
    with Image.open(io.BytesIO(data)) as clean:
        rgba = clean.convert("RGBA")
        assert [rgba.getpixel((x, 0)) for x in (0, 1)] == [(255, 0, 0, 255), (0, 255, 0, 0)]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%%EOF\n",
        b"\xff\xd8\xff\xe0 truncated",
        b"",
    ],
)
def test_what_is_not_a_readable_photo_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a readable picture"):
        strip_metadata(data)


def test_other_formats_and_huge_pictures_are_refused() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (2, 2)).save(gif, "GIF")
    with pytest.raises(ValueError, match="not a JPEG, PNG or WebP picture: GIF"):
        strip_metadata(gif.getvalue())
    huge = io.BytesIO()
    Image.new("1", (8000, 7000)).save(huge, "PNG")  # 56 megapixels, a small file
    with pytest.raises(ValueError, match="too many pixels"):
        strip_metadata(huge.getvalue())
