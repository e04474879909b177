"""Uploads as every app receives and serves them, on top of `ortaq.lib.files`.

`accept` is what each upload service calls first, BEFORE its `transaction.atomic` block:
it reads the upload within the use's size limit, reads its real type from the content,
re-encodes pictures (no EXIF/GPS, nothing appended, a pixel limit against decompression
bombs) and makes the name safe; a refusal is a `DomainError` on the `file` field in the
user's language. Decoding a large picture takes seconds: inside the transaction it would hold
the database's write lock all that time.

`private_file_response` is how a permission-checked view hands a stored private file over:
always a download (`Content-Disposition: attachment`; an `<img>` still shows it) that the
browser may not sniff into another type (`X-Content-Type-Options: nosniff`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ortaq.core.errors import DomainError
from ortaq.lib import files

__all__ = ["accept", "private_file_response"]

MB = 1024 * 1024


def accept(
    upload: Any,
    *,
    allowed: frozenset[str],
    limit: int,
    refused: str | Promise,
    name: str | None = None,
) -> files.Checked:
    """The upload (a file object: an UploadedFile, a File) checked for a use accepting the
    types `allowed` up to `limit` bytes; `refused` is the use's own message for any other
    type; `name` replaces the upload's own. Raises DomainError(field="file")."""
    try:
        data = files.read_limited(upload, limit, declared=getattr(upload, "size", None))
        shown = name if name is not None else getattr(upload, "name", None)
        return files.check(data, name=shown, allowed=allowed, limit=limit)
    except files.Refused as refusal:
        raise DomainError(_message(refusal, refused), field="file") from refusal


def _message(refusal: files.Refused, refused: str | Promise) -> str | Promise:
    if refusal.reason == "too_large":
        return _("The file is too large: at most {mb} MB.").format(mb=max(refusal.limit // MB, 1))
    if refusal.reason == "empty":
        return _("The file is empty.")
    if refusal.reason == "pixels":
        return _(
            "The picture is too large: at most {n} megapixels. Make it smaller and upload it again."
        ).format(n=refusal.limit // 1_000_000)
    if refusal.reason == "picture":
        return _("The picture cannot be read: the file is damaged or incomplete.")
    return refused


def private_file_response(
    stored: FieldFile, *, content_type: str, filename: str, cache: str = "private, no-store"
) -> HttpResponse:
    """A privately stored file as a download the browser does not sniff. Files are small
    (size-limited on upload): read and closed, no open handle lingers."""
    with stored.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
