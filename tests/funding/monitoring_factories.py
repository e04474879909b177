"""Builders for monitoring and evaluation tests, around the cast and `factories.contract`:
public councils with seated people, an official of the grant operator, more contracts of the
same lot, visits and photos."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image, PngImagePlugin

from ortaq.accounts.enums import Level, Role
from ortaq.councils.enums import CompositionStatus, MemberCategory, Position
from ortaq.councils.models import Composition, Council, CouncilMember
from ortaq.funding.enums import ApplicationStatus, FindingSeverity, MonitorKind, ReportKind
from ortaq.funding.models import (
    Application,
    Contract,
    Indicator,
    MonitoringVisit,
    Report,
    ReportIndicatorValue,
)
from ortaq.funding.monitoring import services as monitoring
from tests.access import Cast
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, region

from . import factories as f


def council(
    host: Any, *, region_code: str | None, seated: list[Any], kind: str = "public"
) -> Council:
    """An active council (of a region, or national when `region_code` is None) whose current
    composition seats `seated`."""
    made = Council.objects.create(
        kind=kind,
        organisation=host,
        level=Level.NATIONAL if region_code is None else Level.REGION,
        region=None if region_code is None else region(region_code),
        name_kk="Қоғамдық кеңес",
        name_ru="Общественный совет",
        name_en=f"Public council {region_code or 'national'}",
    )
    composition = Composition.objects.create(
        council=made,
        number=1,
        status=CompositionStatus.CURRENT,
        term_start=dt.date(2024, 1, 15),
        term_end=dt.date(2027, 1, 14),
    )
    for user in seated:
        CouncilMember.objects.create(
            composition=composition,
            user=user,
            full_name=user.full_name or user.email,
            category=MemberCategory.CIVIL,
            position=Position.MEMBER,
            appointed_on=dt.date(2024, 1, 15),
        )
    return made


def seat_cast(cast: Cast) -> None:
    """The citizen and the NGO administrator sit in Kyzylorda's public council (the project's
    region), the consultant in Aktobe's."""
    cast.objects["council"] = council(
        cast.objects["state_body"],
        region_code="43",
        seated=[cast.users["citizen"], cast.users["ngo_admin"]],
    )
    cast.objects["other_council"] = council(
        cast.objects["other_state_body"], region_code="15", seated=[cast.users["consultant"]]
    )


def operator_official(cast: Cast) -> Any:
    return MembershipFactory(
        organisation=cast.objects["fund"], role=Role.OFFICIAL, user=UserFactory()
    ).user


def another_contract(cast: Cast, base: Contract, n: int, **kwargs: Any) -> Contract:
    """Another funded application to the same lot (by a new NGO), made into a contract."""
    org = OrganisationFactory(name_en=f"NGO {n}")
    ngo = f.ngo_in_database(org)
    lot = base.application.lot
    application = Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=ApplicationStatus.FUNDED,
        title=f"Project {n}",
        region=lot.region or region("43"),
        requested_amount=1_000_000,
        submitted_at=timezone.now(),
    )
    Indicator.objects.create(
        application=application, name="Participants", unit="people", target=Decimal(100)
    )
    return f.contract(cast, application=application, **kwargs)


def approve_final(contract: Contract, actual: Decimal) -> Report:
    """The final report approved with one value for the first target (plain ORM)."""
    report = contract.reports.get(kind=ReportKind.FINAL)
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(status="approved", submitted_at=now, reviewed_at=now)
    ReportIndicatorValue.objects.create(
        report=report, indicator=contract.indicators.order_by("position").first(), actual=actual
    )
    return report


def visit(
    cast: Cast,
    contract: Contract,
    *,
    role: str = "official",
    publish: bool = False,
    findings: int = 1,
    kind: str = MonitorKind.STATE_BODY,
) -> MonitoringVisit:
    actor = cast.users[role]
    made = monitoring.visit_create(
        actor=actor, contract=contract, monitor_kind=kind, visited_on=timezone.localdate()
    )
    made = monitoring.visit_update(
        actor=actor,
        visit=made,
        checklist=made.checklist,
        summary="Занятия проходят по плану.",
        recommendations="Вести журнал посещаемости.",
        findings=[(FindingSeverity.MINOR, f"Finding {i + 1}") for i in range(findings)],
        expected_version=made.version,
    )
    if publish:
        made = monitoring.visit_publish(actor=actor, visit=made, expected_version=made.version)
    return made


GPS_LATITUDE = (44.0, 51.0, 12.0)


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with a GPS position, a camera make and a comment in its metadata."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (65.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"home of the photographer")
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "44.85,65.50")
    out = io.BytesIO()
    Image.new("RGBA", (10, 8), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def webp_with_exif() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    out = io.BytesIO()
    Image.new("RGB", (12, 10), (0, 200, 0)).save(out, "WEBP", exif=exif)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
