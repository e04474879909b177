"""Writes of monitoring visits: create, edit the draft (checklist, findings, summary,
recommendations), add photos, publish; the NGO's answers to findings. Audited, in a
transaction; the draft carries a `version` for optimistic locking (`core.locking`).

Who may act is decided by the rule predicates themselves (funding/rules.py, section
"Monitoring and evaluation"), never by `has_perm`, which lets the break-glass superuser through:
nobody but the rule's people visits for a state body or answers for an NGO.

The model has no status-change table for visits: the publication is the only transition, and
the audit log records it (who, when, draft → published).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Role
from ortaq.accounts.models import User
from ortaq.accounts.rules import user_roles
from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core import uploads
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.locking import check_version
from ortaq.lib import files
from ortaq.notifications.services import notify

from ..competitions.selectors import organiser_people
from ..draw import new_seed
from ..enums import EvaluationStatus, FindingSeverity, MonitorKind, VisitStatus
from ..models import Contract, MonitoringVisit, VisitFinding, VisitPhoto
from ..rules import (
    MONITOR_CONTRACT_STATUSES,
    is_organiser,
    is_visit_answerer,
    is_visit_side,
    monitor_councils,
    monitor_kinds,
    operator_org_ids,
)
from .selectors import default_checklist

MAX_PHOTOS = 30
MAX_ITEM = 300
MAX_NOTE = 2000


def _max_photo_bytes() -> int:
    """The same limit as the files of applications."""
    return int(settings.FUNDING_ATTACHMENT_MAX_BYTES)


def _audit(actor: User, action: str, obj: Model, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=f"funding.{action}", obj=obj, changes=changes or {})


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def ngo_admins(organisation_id: int) -> Any:
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__role=Role.ADMIN,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


# --- Visits -----------------------------------------------------------------------------------


def _lock_contract(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("application__lot__competition__programme", "ngo")
        .get(pk=contract.pk)
    )


def _visit_organisation(actor: User, contract: Contract, kind: str) -> int | None:
    """The organisation the inspector visits for: the customer, his regional state body, or
    his grant operator (the first, when he is an official of several)."""
    if kind == MonitorKind.STATE_BODY:
        if is_organiser(actor, contract):
            return contract.organiser_id
        return min(
            org
            for org, role, region, _k in user_roles(actor)
            if role == Role.REGIONAL_ADMIN and region == contract.region_id
        )
    if kind == MonitorKind.OPERATOR:
        return min(operator_org_ids(actor))
    return None


@transaction.atomic
def visit_create(
    *,
    actor: User,
    contract: Contract,
    monitor_kind: str,
    visited_on: dt.date,
    council: Any = None,
) -> MonitoringVisit:
    """A draft visit with the default checklist, by a person who may monitor the project."""
    contract = _lock_contract(contract)
    if contract.status not in MONITOR_CONTRACT_STATUSES:
        raise DomainError(_("Only a project in force or completed can be visited."))
    kinds = monitor_kinds(actor, contract)
    if not kinds:
        raise DomainError(_("You may not monitor this project."))
    if monitor_kind not in kinds:
        raise DomainError(
            _("You may not visit this project in this capacity."), field="monitor_kind"
        )
    if visited_on > timezone.localdate():
        raise DomainError(_("The date of the visit cannot be in the future."), field="visited_on")
    if visited_on < contract.start_date:
        raise DomainError(_("The visit cannot be before the project started."), field="visited_on")
    council_id = None
    if monitor_kind == MonitorKind.COUNCIL:
        allowed = monitor_councils(actor, contract)
        if council is None and len(allowed) == 1:
            council_id = allowed[0]
        elif council is None or council.pk not in allowed:
            raise DomainError(
                _("Choose a public council of the project's region where you hold a seat."),
                field="council",
            )
        else:
            council_id = council.pk
    elif council is not None:
        raise DomainError(
            _("A council is chosen only for a visit by members of a public council."),
            field="council",
        )
    visit = MonitoringVisit.objects.create(
        contract=contract,
        monitor_kind=monitor_kind,
        organisation_id=_visit_organisation(actor, contract, monitor_kind),
        council_id=council_id,
        inspector=actor,
        visited_on=visited_on,
        checklist=default_checklist(),
    )
    _audit(actor, "visit.create", visit, snapshot(visit))
    return visit


def _lock_visit(visit: MonitoringVisit) -> MonitoringVisit:
    return (
        MonitoringVisit.objects.select_for_update(of=("self",))
        .select_related("contract__ngo")
        .get(pk=visit.pk)
    )


def _require_side_draft(actor: User, visit: MonitoringVisit) -> None:
    if not is_visit_side(actor, visit):
        raise DomainError(_("Only the monitors who made the visit may change it."))
    if visit.status != VisitStatus.DRAFT:
        raise DomainError(_("A published visit can no longer be changed."))


def _clean_checklist(checklist: Iterable[Any]) -> list[dict[str, Any]]:
    cleaned = []
    for row in checklist:
        if not isinstance(row, dict) or set(row) - {"item", "ok", "note"}:
            raise DomainError(_("A checklist row is malformed."), field="checklist")
        item = str(row.get("item") or "").strip()
        ok = row.get("ok")
        note = str(row.get("note") or "").strip()
        if not item or len(item) > MAX_ITEM:
            raise DomainError(
                _("Each checklist item needs a name of at most {n} characters.").format(n=MAX_ITEM),
                field="checklist",
            )
        if ok not in (True, False, None):
            raise DomainError(_("A checklist answer is yes, no or not checked."), field="checklist")
        if len(note) > MAX_NOTE:
            raise DomainError(
                _("A checklist note has at most {n} characters.").format(n=MAX_NOTE),
                field="checklist",
            )
        cleaned.append({"item": item, "ok": ok, "note": note})
    return cleaned


def _clean_findings(findings: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for severity, text in findings:
        if severity not in FindingSeverity.values:
            raise DomainError(_("Unknown severity of a finding."), field="findings")
        if not (text or "").strip():
            raise DomainError(_("Describe each finding."), field="findings")
        cleaned.append((severity, text.strip()))
    return cleaned


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: MonitoringVisit,
    checklist: Sequence[dict[str, Any]],
    summary: str,
    recommendations: str,
    findings: Sequence[tuple[str, str]],
    expected_version: int | None,
    visited_on: dt.date | None = None,
) -> MonitoringVisit:
    """Save the draft: the checklist, the findings (replaced as a whole: nobody has answered
    them yet), the summary and recommendations, and the date if it is corrected."""
    locked = _lock_visit(visit)
    _require_side_draft(actor, locked)
    check_version(locked, expected_version=expected_version)
    rows = _clean_checklist(checklist)
    found = _clean_findings(findings)
    if visited_on is not None and visited_on != locked.visited_on:
        if visited_on > timezone.localdate():
            raise DomainError(
                _("The date of the visit cannot be in the future."), field="visited_on"
            )
        if visited_on < locked.contract.start_date:
            raise DomainError(
                _("The visit cannot be before the project started."), field="visited_on"
            )
        locked.visited_on = visited_on
    before = snapshot(locked)
    before_findings = [(f.severity, f.text) for f in locked.findings.order_by("position", "id")]
    locked.checklist = rows
    locked.summary = summary.strip()
    locked.recommendations = recommendations.strip()
    changes = diff(before, snapshot(locked))
    if found != before_findings:
        changes["findings"] = [before_findings, found]
        locked.findings.all().delete()
        VisitFinding.objects.bulk_create(
            VisitFinding(visit=locked, position=i, severity=severity, text=text)
            for i, (severity, text) in enumerate(found)
        )
    if changes:
        locked.version += 1
        locked.save()
        _audit(actor, "visit.update", locked, changes)
    return locked


def visit_photo_add(
    *, actor: User, visit: MonitoringVisit, upload: UploadedFile, caption: str = ""
) -> VisitPhoto:
    """A photo of the draft visit: JPEG, PNG or WebP, size-limited, stored privately after its
    metadata (GPS position above all) is removed by re-encoding, before the transaction opens
    (`ortaq.core.uploads.accept`)."""
    if len(caption.strip()) > 300:
        raise DomainError(_("The caption has at most 300 characters."), field="caption")
    checked = uploads.accept(
        upload,
        allowed=files.IMAGES,
        limit=_max_photo_bytes(),
        refused=_("Only JPEG, PNG and WebP photos are accepted."),
    )
    with transaction.atomic():
        return _visit_photo_store(actor=actor, visit=visit, checked=checked, caption=caption)


def _visit_photo_store(
    *, actor: User, visit: MonitoringVisit, checked: files.Checked, caption: str
) -> VisitPhoto:
    locked = _lock_visit(visit)
    _require_side_draft(actor, locked)
    if locked.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("A visit has at most {n} photos.").format(n=MAX_PHOTOS), field="file")
    photo = VisitPhoto(
        visit=locked,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        width=checked.width or 0,
        height=checked.height or 0,
        caption=caption.strip(),
        uploaded_by=actor,
    )
    photo.file.save(f"{new_seed()}.{checked.extension}", ContentFile(checked.data), save=False)
    photo.save()
    _audit(
        actor,
        "visit.photo",
        photo,
        {"visit": locked.pk, "name": checked.name, "size": checked.size, "caption": photo.caption},
    )
    return photo


@transaction.atomic
def visit_publish(
    *, actor: User, visit: MonitoringVisit, expected_version: int | None
) -> MonitoringVisit:
    """Publish the visit: it becomes public; the NGO's administrators and the customer are
    told. A visit needs its summary first."""
    locked = _lock_visit(visit)
    _require_side_draft(actor, locked)
    check_version(locked, expected_version=expected_version)
    if not locked.summary.strip():
        raise DomainError(
            _("Write the summary of the visit before publishing it."), field="summary"
        )
    locked.status = VisitStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "published_at", "version"])
    _audit(
        actor,
        "visit.publish",
        locked,
        {"status": [VisitStatus.DRAFT, VisitStatus.PUBLISHED]},
    )
    contract = locked.contract
    recipients = [
        u
        for u in [
            *ngo_admins(contract.ngo.organisation_id),
            *organiser_people(contract.organiser_id),
        ]
        if u.pk != actor.pk
    ]
    day = locked.visited_on.strftime("%d.%m.%Y")
    notify(
        recipients=recipients,
        subject=lambda: _("Monitoring visit of {day} to “{title}” is published").format(
            day=day, title=contract.title
        ),
        body=lambda: _("The NGO may answer each finding on the page of the visit."),
        url=_url("funding:visit_detail", locked.pk),
        topic="funding.visit.published",
    )
    return locked


# --- The NGO's answers --------------------------------------------------------------------------


def answers_closed(contract: Contract) -> bool:
    """Answers are open until the evaluation of the project is published."""
    evaluation = getattr(contract, "evaluation", None)
    return evaluation is not None and evaluation.status == EvaluationStatus.PUBLISHED


@transaction.atomic
def finding_answer(
    *, actor: User, finding: VisitFinding, answer: str, expected: str | None = None
) -> VisitFinding:
    """The NGO's administrator answers a finding of a published visit, and may edit the answer
    until the evaluation of the project is published. `expected` is the answer the form was
    opened with: when someone changed it meanwhile, nothing is overwritten."""
    locked = (
        VisitFinding.objects.select_for_update(of=("self",))
        .select_related("visit__contract__ngo", "visit__inspector")
        .get(pk=finding.pk)
    )
    visit = locked.visit
    if not is_visit_answerer(actor, visit):
        raise DomainError(_("Only an administrator of the NGO may answer the findings."))
    if answers_closed(visit.contract):
        raise DomainError(_("The project is evaluated: the answers to the findings are closed."))
    if expected is not None and expected.strip() != locked.answer:
        raise ConflictError(_("Someone else answered this finding meanwhile; compare and save."))
    if not answer.strip():
        raise DomainError(_("Write the answer."), field="answer")
    before = locked.answer
    locked.answer = answer.strip()
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    _audit(actor, "visit.finding.answer", locked, {"answer": [before, locked.answer]})
    if visit.inspector is not None and visit.inspector.pk != actor.pk:
        notify(
            recipients=[visit.inspector],
            subject=lambda: _("The NGO answered a finding of your visit to “{title}”").format(
                title=visit.contract.title
            ),
            body=locked.answer,
            url=_url("funding:visit_detail", visit.pk),
            topic="funding.visit.answer",
        )
    return locked
