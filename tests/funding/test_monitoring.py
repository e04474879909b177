"""Monitoring visits through the services: who may visit, the draft, publication, the NGO's
answers, photos stored without their metadata, refusals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import ExifTags, Image

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.funding.enums import (
    ContractStatus,
    FindingSeverity,
    MonitorKind,
    ProgrammeKind,
    VisitStatus,
)
from ortaq.funding.models import Programme, VisitFinding
from ortaq.funding.monitoring import evaluation
from ortaq.funding.monitoring import services as monitoring
from ortaq.funding.monitoring.selectors import public_visits
from ortaq.funding.rules import monitor_kinds
from ortaq.notifications.models import Notification
from tests.access import Cast

from . import factories as f
from . import monitoring_factories as m

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _kinds(cast: Cast, role: str, contract: Any) -> list[str]:
    return monitor_kinds(cast.user(role), contract)


def test_who_may_visit_and_as_what(cast: Cast) -> None:
    contract = f.contract(cast)
    m.seat_cast(cast)
    operator = m.operator_official(cast)
    assert _kinds(cast, "official", contract) == [MonitorKind.STATE_BODY]
    assert _kinds(cast, "regional_admin", contract) == [MonitorKind.STATE_BODY]
    assert monitor_kinds(operator, contract) == [MonitorKind.OPERATOR]  # a state grant
    assert _kinds(cast, "citizen", contract) == [MonitorKind.COUNCIL]
    # A council member of another region, and a council member of the NGO itself: no.
    assert _kinds(cast, "consultant", contract) == []
    assert _kinds(cast, "ngo_admin", contract) == []
    for role in ("anonymous", "ngo_member", "outsider_ngo_admin", "other_regional_admin"):
        assert _kinds(cast, role, contract) == [], role
    assert _kinds(cast, "expert", contract) == []
    # The platform administrator is no monitor (the services ask the rule, not has_perm).
    assert _kinds(cast, "platform_admin", contract) == []


def test_operator_visits_only_grant_projects(cast: Cast) -> None:
    contract = f.contract(cast)
    operator = m.operator_official(cast)
    Programme.objects.filter(pk=contract.application.lot.competition.programme_id).update(
        kind=ProgrammeKind.SOCIAL_ORDER
    )
    contract.refresh_from_db()
    contract.application.lot.competition.programme.refresh_from_db()
    assert monitor_kinds(operator, contract) == []
    with pytest.raises(DomainError):
        monitoring.visit_create(
            actor=operator,
            contract=contract,
            monitor_kind=MonitorKind.OPERATOR,
            visited_on=TODAY(),
        )


def test_a_national_council_visits_any_region_and_a_regional_one_only_its_own(
    cast: Cast,
) -> None:
    contract = f.contract(cast)
    member = m.UserFactory()
    ministry = m.OrganisationFactory(kind="state_body", level=m.Level.NATIONAL, region=None)
    national = m.council(ministry, region_code=None, seated=[member])
    visit = monitoring.visit_create(
        actor=member, contract=contract, monitor_kind=MonitorKind.COUNCIL, visited_on=TODAY()
    )
    assert (visit.monitor_kind, visit.council_id, visit.organisation_id) == (
        MonitorKind.COUNCIL,
        national.pk,
        None,
    )
    aktobe_member = m.UserFactory()
    aktobe = m.council(cast.objects["other_state_body"], region_code="15", seated=[aktobe_member])
    with pytest.raises(DomainError, match="You may not monitor this project"):
        monitoring.visit_create(
            actor=aktobe_member,
            contract=contract,
            monitor_kind=MonitorKind.COUNCIL,
            visited_on=TODAY(),
            council=aktobe,
        )
    # A coordination council is no public council; a ceased seat is no seat.
    coordinator = m.UserFactory()
    m.council(cast.objects["state_body"], region_code="43", seated=[coordinator], kind="other")
    assert monitor_kinds(coordinator, contract) == []
    ceased = m.UserFactory()
    m.council(cast.objects["state_body"], region_code="43", seated=[ceased])
    m.CouncilMember.objects.filter(user=ceased).update(ceased_on=TODAY())
    assert monitor_kinds(ceased, contract) == []


def test_customer_records_and_publishes_a_visit(cast: Cast) -> None:
    contract = f.contract(cast)
    official = cast.users["official"]
    visit = monitoring.visit_create(
        actor=official,
        contract=contract,
        monitor_kind=MonitorKind.STATE_BODY,
        visited_on=TODAY(),
    )
    assert visit.status == VisitStatus.DRAFT
    assert visit.organisation_id == cast.objects["state_body"].pk
    assert [row["item"] for row in visit.checklist] == [
        "activities",
        "beneficiaries",
        "materials",
        "visibility",
        "documents",
    ]
    checklist = [
        {"item": "activities", "ok": True, "note": "3 trainings seen"},
        {"item": "beneficiaries", "ok": False, "note": "only 12 of 30"},
        {"item": "materials", "ok": None, "note": ""},
        {"item": "Journal of attendance", "ok": True, "note": ""},
    ]
    visit = monitoring.visit_update(
        actor=cast.users["regional_admin"],  # a colleague of the same body edits the draft
        visit=visit,
        checklist=checklist,
        summary="  Занятия проходят.  ",
        recommendations="Набрать участников.",
        findings=[(FindingSeverity.MAJOR, "Too few participants"), (FindingSeverity.NOTE, "Ok")],
        expected_version=1,
    )
    assert (visit.version, visit.summary, visit.checklist) == (2, "Занятия проходят.", checklist)
    assert [(x.position, x.severity, x.text) for x in visit.findings.all()] == [
        (0, "major", "Too few participants"),
        (1, "note", "Ok"),
    ]
    assert public_visits(contract).count() == 0  # a draft is not public
    visit = monitoring.visit_publish(actor=official, visit=visit, expected_version=2)
    assert (visit.status, visit.version) == (VisitStatus.PUBLISHED, 3)
    assert visit.published_at is not None
    assert list(public_visits(contract)) == [visit]
    told = Notification.objects.filter(topic="funding.visit.published")
    assert sorted(n.recipient.email for n in told) == [
        "ngo-admin@example.kz",
        "region-admin@example.kz",
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="funding.visit")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["funding.visit.create", "funding.visit.update", "funding.visit.publish"]


def test_visit_refusals(cast: Cast) -> None:
    contract = f.contract(cast, start=TODAY() - dt.timedelta(days=10))
    official = cast.users["official"]

    def create(**kwargs: Any) -> Any:
        values = {
            "actor": official,
            "contract": contract,
            "monitor_kind": MonitorKind.STATE_BODY,
            "visited_on": TODAY(),
            **kwargs,
        }
        return monitoring.visit_create(**values)

    with pytest.raises(DomainError, match="cannot be in the future") as exc:
        create(visited_on=TODAY() + dt.timedelta(days=1))
    assert exc.value.field == "visited_on"
    with pytest.raises(DomainError, match="before the project started"):
        create(visited_on=TODAY() - dt.timedelta(days=11))
    with pytest.raises(DomainError, match="in this capacity"):
        create(monitor_kind=MonitorKind.COUNCIL)
    with pytest.raises(DomainError, match="You may not monitor"):
        create(actor=cast.users["other_regional_admin"])
    with pytest.raises(DomainError, match="You may not monitor"):
        create(actor=cast.users["platform_admin"])
    visit = create()
    with pytest.raises(DomainError, match="Only the monitors"):
        monitoring.visit_update(
            actor=cast.users["ngo_admin"],
            visit=visit,
            checklist=[],
            summary="",
            recommendations="",
            findings=[],
            expected_version=1,
        )
    with pytest.raises(DomainError, match="yes, no or not checked"):
        monitoring.visit_update(
            actor=official,
            visit=visit,
            checklist=[{"item": "activities", "ok": "maybe", "note": ""}],
            summary="",
            recommendations="",
            findings=[],
            expected_version=1,
        )
    with pytest.raises(DomainError, match="Describe each finding"):
        monitoring.visit_update(
            actor=official,
            visit=visit,
            checklist=[],
            summary="",
            recommendations="",
            findings=[(FindingSeverity.NOTE, "  ")],
            expected_version=1,
        )
    with pytest.raises(DomainError, match="summary") as publish:
        monitoring.visit_publish(actor=official, visit=visit, expected_version=1)
    assert publish.value.field == "summary"
    monitoring.visit_update(
        actor=official,
        visit=visit,
        checklist=visit.checklist,
        summary="Seen",
        recommendations="",
        findings=[],
        expected_version=1,
    )
    with pytest.raises(ConflictError):
        monitoring.visit_update(
            actor=official,
            visit=visit,
            checklist=visit.checklist,
            summary="Stale",
            recommendations="",
            findings=[],
            expected_version=1,
        )
    with pytest.raises(ConflictError):
        monitoring.visit_publish(actor=official, visit=visit, expected_version=1)
    monitoring.visit_publish(actor=official, visit=visit, expected_version=2)
    with pytest.raises(DomainError, match="can no longer be changed"):
        monitoring.visit_update(
            actor=official,
            visit=visit,
            checklist=[],
            summary="Changed",
            recommendations="",
            findings=[],
            expected_version=3,
        )
    # A draft contract is not visited.
    draft_contract = m.another_contract(cast, contract, 2, status=ContractStatus.DRAFT)
    with pytest.raises(DomainError, match="in force or completed"):
        create(contract=draft_contract)


def test_the_ngo_answers_findings_but_cannot_change_them(cast: Cast) -> None:
    contract = f.contract(cast)
    visit = m.visit(cast, contract, findings=2)
    finding = visit.findings.first()
    assert finding is not None
    with pytest.raises(DomainError, match="Only an administrator of the NGO"):
        monitoring.finding_answer(actor=cast.users["ngo_admin"], finding=finding, answer="No")
    visit = monitoring.visit_publish(actor=cast.users["official"], visit=visit, expected_version=2)
    for role in ("ngo_member", "official", "platform_admin", "outsider_ngo_admin"):
        with pytest.raises(DomainError, match="Only an administrator of the NGO"):
            monitoring.finding_answer(actor=cast.users[role], finding=finding, answer="Done")
    with pytest.raises(DomainError, match="Write the answer") as empty:
        monitoring.finding_answer(actor=cast.users["ngo_admin"], finding=finding, answer=" ")
    assert empty.value.field == "answer"
    answered = monitoring.finding_answer(
        actor=cast.users["ngo_admin"], finding=finding, answer=" We hired a second trainer. "
    )
    assert (answered.answer, answered.answered_by) == (
        "We hired a second trainer.",
        cast.users["ngo_admin"],
    )
    assert (
        Notification.objects.get(topic="funding.visit.answer").recipient == (cast.users["official"])
    )
    # The NGO edits its answer; a stale form is refused without overwriting.
    with pytest.raises(ConflictError):
        monitoring.finding_answer(
            actor=cast.users["ngo_admin"], finding=finding, answer="Other", expected=""
        )
    monitoring.finding_answer(
        actor=cast.users["ngo_admin"],
        finding=finding,
        answer="Two trainers now.",
        expected="We hired a second trainer.",
    )
    # The NGO cannot change the finding itself.
    with pytest.raises(DomainError):
        monitoring.visit_update(
            actor=cast.users["ngo_admin"],
            visit=visit,
            checklist=[],
            summary="",
            recommendations="",
            findings=[],
            expected_version=visit.version,
        )
    assert VisitFinding.objects.get(pk=finding.pk).text == "Finding 1"
    # Once the evaluation is published, the answers are closed.
    _publish_evaluation(cast, contract)
    with pytest.raises(DomainError, match="answers to the findings are closed"):
        monitoring.finding_answer(actor=cast.users["ngo_admin"], finding=finding, answer="Late")


def _publish_evaluation(cast: Cast, contract: Any) -> None:
    type(contract).objects.filter(pk=contract.pk).update(status=ContractStatus.COMPLETED)
    contract.refresh_from_db()
    saved = evaluation.evaluation_save(
        actor=cast.users["official"],
        contract=contract,
        scores=dict.fromkeys(("relevance", "plan", "result", "continuity", "impact"), (4, "")),
        conclusion="Effective.",
        expected_version=0,
    )
    evaluation.evaluation_publish(
        actor=cast.users["official"], contract=contract, expected_version=saved.version
    )


# --- Photos -------------------------------------------------------------------------------------


@pytest.fixture
def private_media(settings: Any, tmp_path: Any) -> Any:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def test_gps_position_is_gone_from_the_stored_photo(cast: Cast, private_media: Any) -> None:
    contract = f.contract(cast)
    visit = m.visit(cast, contract)
    original = m.jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as before:  # the upload really carries a position
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (
            m.GPS_LATITUDE
        )
    photo = monitoring.visit_photo_add(
        actor=cast.users["official"],
        visit=visit,
        upload=m.upload(original, "IMG_0001.jpg"),
        caption=" Training room ",
    )
    assert (photo.content_type, photo.width, photo.height, photo.caption) == (
        "image/jpeg",
        64,
        48,
        "Training room",
    )
    assert photo.file.name.endswith(".jpg")
    assert photo.original_name == "IMG_0001.jpg"
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert photo.size == len(stored)
    with Image.open(io.BytesIO(stored)) as after:
        exif = after.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert dict(exif) == {}
        assert "exif" not in after.info
        assert "comment" not in after.info
        assert after.size == (64, 48)
    assert b"SecretCam" not in stored
    assert b"home of the photographer" not in stored


def test_png_and_webp_lose_their_metadata_too(cast: Cast, private_media: Any) -> None:
    visit = m.visit(cast, f.contract(cast))
    png = monitoring.visit_photo_add(
        actor=cast.users["official"], visit=visit, upload=m.upload(m.png_with_text(), "a.png")
    )
    webp = monitoring.visit_photo_add(
        actor=cast.users["official"], visit=visit, upload=m.upload(m.webp_with_exif(), "b.webp")
    )
    with png.file.open("rb") as handle:
        data = handle.read()
    assert b"44.85" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.mode, image.size, image.info.get("Location")) == (
            "PNG",
            "RGBA",
            (10, 8),
            None,
        )
    with webp.file.open("rb") as handle:
        data = handle.read()
    assert b"SecretCam" not in data
    assert (webp.content_type, webp.width, webp.height) == ("image/webp", 12, 10)


def test_photo_refusals(cast: Cast, private_media: Any, settings: Any) -> None:
    visit = m.visit(cast, f.contract(cast))
    official = cast.users["official"]
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    for data, message in [
        (gif.getvalue(), "Only JPEG, PNG and WebP"),
        (b"%PDF-1.4 not a photo", "Only JPEG, PNG and WebP"),
        (b"\xff\xd8\xff\xe0 broken jpeg", "The picture cannot be read"),
        (b"", "The file is empty"),
    ]:
        with pytest.raises(DomainError, match=message) as exc:
            monitoring.visit_photo_add(actor=official, visit=visit, upload=m.upload(data))
        assert exc.value.field == "file"
    settings.FUNDING_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(DomainError, match="too large"):
        monitoring.visit_photo_add(actor=official, visit=visit, upload=m.upload(m.jpeg_with_gps()))
    settings.FUNDING_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(DomainError, match="Only the monitors"):
        monitoring.visit_photo_add(
            actor=cast.users["ngo_admin"], visit=visit, upload=m.upload(m.jpeg_with_gps())
        )
    assert visit.photos.count() == 0


def test_visit_date_is_a_real_day_in_the_project(cast: Cast) -> None:
    contract = f.contract(cast, start=timezone.localdate() - dt.timedelta(days=5))
    visit = m.visit(cast, contract)
    updated = monitoring.visit_update(
        actor=cast.users["official"],
        visit=visit,
        checklist=visit.checklist,
        summary=visit.summary,
        recommendations=visit.recommendations,
        findings=[(x.severity, x.text) for x in visit.findings.all()],
        expected_version=visit.version,
        visited_on=TODAY() - dt.timedelta(days=2),
    )
    assert updated.visited_on == TODAY() - dt.timedelta(days=2)
    with pytest.raises(DomainError, match="before the project started"):
        monitoring.visit_update(
            actor=cast.users["official"],
            visit=updated,
            checklist=visit.checklist,
            summary="",
            recommendations="",
            findings=[],
            expected_version=updated.version,
            visited_on=TODAY() - dt.timedelta(days=6),
        )
