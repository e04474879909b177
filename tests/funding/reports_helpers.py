"""Builders for the project-report tests: contracts of the cast's NGOs (made cheaply from a
draft application, as the contract factory allows) and reports filled through the services."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ortaq.funding.models import BudgetLine, Contract, Report
from ortaq.funding.reports import services
from tests.access import Cast

from . import factories as f


def contract(cast: Cast, *, outsider: bool = False, **kwargs: Any) -> Contract:
    """An active contract of the cast's own NGO (or of the outsider NGO), customer: the
    Kyzylorda state body; one target (300 participants), one budget line of 5,000,000 ₸."""
    if outsider:
        ngo = cast.objects.get("other_ngo_profile") or f.ngo_in_database(cast.objects["other_ngo"])
        cast.objects["other_ngo_profile"] = ngo
        application = f.draft(
            cast, f.announced(cast), ngo=ngo, admin=cast.users["outsider_ngo_admin"]
        )
    else:
        application = f.draft(cast, f.announced(cast))
    return f.contract(cast, application=application, **kwargs)  # type: ignore[no-any-return]


def first(made: Contract) -> Report:
    return made.reports.get(number=1)


def final(made: Contract) -> Report:
    return made.reports.get(number=2)


def line(made: Contract) -> BudgetLine:
    return BudgetLine.objects.get(application=made.application)


def admin_of(cast: Cast, made: Contract) -> Any:
    own = made.ngo.organisation_id == cast.objects["own_ngo"].pk
    return cast.users["ngo_admin" if own else "outsider_ngo_admin"]


def fill(
    cast: Cast,
    report: Report,
    *,
    actual: Decimal = Decimal(120),
    spent: int = 1_000_000,
    beneficiaries: int = 110,
) -> Report:
    made = report.contract
    report.refresh_from_db()
    return services.report_save(
        actor=admin_of(cast, made),
        report=report,
        beneficiaries=beneficiaries,
        narrative="Тренинги проведены",
        public_summary="120 участников",
        values={t.pk: (actual, "") for t in made.indicators.all()},
        spending={line(made).pk: (spent, "")},
        expected_version=report.version,
    )


def submitted(cast: Cast, report: Report, **kwargs: Any) -> Report:
    filled = fill(cast, report, **kwargs)
    return services.report_submit(actor=admin_of(cast, filled.contract), report=filled)


def jpeg_with_gps() -> bytes:
    """A small JPEG whose EXIF says where and with what it was taken, plus an XMP packet."""
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.Orientation] = 6  # rotated: stored 40×20, shown 20×40
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (44.0, 51.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (65.0, 30.0, 3.0)
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(
        out, "JPEG", exif=exif, xmp=b"<x:xmpmeta>exif:GPSLatitude 44,51</x:xmpmeta>"
    )
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
