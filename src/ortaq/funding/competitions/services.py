"""Writes of funding: every state change, audited, in a transaction.

One `_transition` function per workflow checks the table of enums.py, writes the status-change
row (who, when, from, to, why) and saves with `update_fields`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership, Organisation, User
from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core import uploads
from ortaq.core.errors import DomainError
from ortaq.core.locking import check_version
from ortaq.core.workflow import transition
from ortaq.lib import files
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.services import notify
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.models import NgoProfile

from .. import allocation
from .. import draw as drawing
from ..enums import (
    EDITABLE_STATUSES,
    SENT_STATUSES,
    ApplicationStatus,
    AssignmentRole,
    AssignmentStatus,
    BudgetKind,
    CompetitionStatus,
    ComplianceReason,
    ConflictSource,
    DecisionStatus,
    ProgrammeKind,
    ReminderStage,
    TopicStatus,
)
from ..models import (
    Application,
    Assignment,
    Attachment,
    BudgetLine,
    Competition,
    CompetitionDocument,
    ComplianceFailure,
    Criterion,
    DeadlineReminder,
    Decision,
    DecisionLine,
    Expert,
    ExpertDraw,
    Indicator,
    Lot,
    Programme,
    Score,
    Topic,
    TopicComment,
)
from ..rules import can_keep_register, organiser_org_ids, topic_owner_ids
from ..workflows import (
    APPLICATION_WORKFLOW,
    ASSIGNMENT_WORKFLOW,
    COMPETITION_WORKFLOW,
    DECISION_WORKFLOW,
    TOPIC_WORKFLOW,
)
from .selectors import (
    competition_aggregates,
    competition_is_open,
    ngo_admins_concerned_by,
    ngo_eligibility,
    ngo_people,
    organiser_people,
    programme_limits,
)

# The five evaluation criteria of the regional practice (docs/domain.md §5), each 0–5.
DEFAULT_CRITERIA = (
    ("relevance", "Өзектілігі", "Актуальность", "Relevance"),
    ("plan", "Жоспардың орындалуы", "Выполнение плана", "Fulfilment of the plan"),
    ("result", "Жобаның нәтижесі", "Результат проекта", "Result of the project"),
    (
        "continuity",
        "Қызметтің жалғасу ықтималдығы",
        "Вероятность продолжения деятельности",
        "Likelihood the activity continues",
    ),
    (
        "impact",
        "Ұзақ мерзімді оң әлеуметтік әсер",
        "Долгосрочный положительный социальный эффект",
        "Likelihood of long-term positive social impact",
    ),
)
DEADLINE_HOUR = 18  # applications close at the end of the working day, competition's time


def max_upload_bytes() -> int:
    return int(settings.FUNDING_ATTACHMENT_MAX_BYTES)


def _max_document_bytes() -> int:
    return int(settings.FUNDING_DOCUMENT_MAX_BYTES)


def _audit(actor: User, action: str, obj: Model, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=f"funding.{action}", obj=obj, changes=changes or {})


def _require_organiser(actor: User, organisation_id: int) -> None:
    if organisation_id not in organiser_org_ids(actor):
        raise DomainError(_("Only the organiser may do this."))


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


# --- Programmes -------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    owner: Organisation,
    kind: str,
    year: int,
    title_kk: str,
    title_ru: str,
    title_en: str = "",
    budget: int,
    areas: Iterable[ActivityArea] = (),
    **options: Any,
) -> Programme:
    """A programme with the default five criteria; state grants cap institutional needs."""
    _require_organiser(actor, owner.pk)
    if kind == ProgrammeKind.STATE_GRANT:
        options.setdefault("institutional_cap_percent", 10)
    programme = Programme.objects.create(
        owner=owner,
        kind=kind,
        year=year,
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        budget=budget,
        **options,
    )
    programme.activity_areas.set(list(areas))
    Criterion.objects.bulk_create(
        Criterion(
            programme=programme,
            code=code,
            name_kk=kk,
            name_ru=ru,
            name_en=en,
            weight=1,
            scale_max=5,
            position=i,
        )
        for i, (code, kk, ru, en) in enumerate(DEFAULT_CRITERIA)
    )
    _audit(actor, "programme.create", programme, snapshot(programme))
    return programme


# --- Topic planning ---------------------------------------------------------------------------


def _topic_transition(topic: Topic, *, to: str, actor: User, reason: str = "") -> Topic:
    before = topic.status
    transition(topic, workflow=TOPIC_WORKFLOW, to=to, actor=actor, note=reason)
    _audit(actor, "topic.status", topic, {"status": [before, to], "reason": reason})
    return topic


@transaction.atomic
def topic_propose(
    *,
    actor: User,
    owner: Organisation,
    year: int,
    title_kk: str,
    title_ru: str,
    area: ActivityArea,
    region: Region,
    problem: str,
    expected_results: str,
    indicators: list[dict[str, str]],
    budget_estimate: int,
    title_en: str = "",
) -> Topic:
    if owner.pk not in topic_owner_ids(actor):
        raise DomainError(_("Only an official of the state body may propose its topics."))
    if budget_estimate <= 0:
        raise DomainError(_("The budget estimate must be positive."), field="budget_estimate")
    topic = Topic.objects.create(
        owner=owner,
        year=year,
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        area=area,
        region=region,
        problem=problem,
        expected_results=expected_results,
        indicators=indicators,
        budget_estimate=budget_estimate,
        created_by=actor,
    )
    _audit(actor, "topic.create", topic, snapshot(topic))
    return topic


@transaction.atomic
def topic_open_consultation(*, actor: User, topic: Topic, until: dt.date) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_organiser(actor, topic.owner_id)
    if until <= timezone.localdate():
        raise DomainError(_("The consultation must end in the future."), field="until")
    topic.consultation_ends = until
    topic.save(update_fields=["consultation_ends"])
    return _topic_transition(topic, to=TopicStatus.CONSULTATION, actor=actor)


# An identical comment by the same author within this time is a repeat of the first.
TOPIC_COMMENT_REPEAT_WINDOW = dt.timedelta(minutes=10)


@transaction.atomic
def topic_comment(
    *,
    actor: User,
    topic: Topic,
    text: str = "",
    supports: bool = False,
    acting_for: Organisation | None = None,
) -> TopicComment:
    """NGOs, councils and citizens comment on or support a topic during the consultation.

    The same author's identical comment within TOPIC_COMMENT_REPEAT_WINDOW is the one already
    recorded (a double click, a resent form, parallel requests): it is returned, not written
    again. The topic's row lock makes concurrent identical requests wait for the first.
    """
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.status != TopicStatus.CONSULTATION or (
        topic.consultation_ends and timezone.localdate() > topic.consultation_ends
    ):
        raise DomainError(_("The consultation on this topic is closed."))
    if not text.strip() and not supports:
        raise DomainError(_("Write a comment or support the topic."), field="text")
    repeat = (
        TopicComment.objects.filter(
            topic=topic,
            author=actor,
            organisation=acting_for,
            text=text.strip(),
            supports=supports,
            created_at__gte=timezone.now() - TOPIC_COMMENT_REPEAT_WINDOW,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if repeat is not None:
        return repeat
    comment = TopicComment.objects.create(
        topic=topic, author=actor, organisation=acting_for, text=text.strip(), supports=supports
    )
    _audit(actor, "topic.comment", comment, {"topic": topic.pk, "supports": supports})
    notify(
        recipients=organiser_people(topic.owner_id),
        subject=lambda: _("New comment on the topic “{title}”").format(title=topic.title),
        body=text.strip(),
        url=_url("funding:topic_detail", topic.pk),
        topic="funding.topic.comment",
    )
    return comment


@transaction.atomic
def topic_answer(*, actor: User, comment: TopicComment, answer: str) -> TopicComment:
    comment = TopicComment.objects.select_for_update().select_related("topic").get(pk=comment.pk)
    _require_organiser(actor, comment.topic.owner_id)
    if not answer.strip():
        raise DomainError(_("Write the answer."), field="answer")
    before = comment.answer
    comment.answer = answer.strip()
    comment.answered_by = actor
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    _audit(actor, "topic.answer", comment, {"answer": [before, comment.answer]})
    if comment.author:
        notify(
            recipients=[comment.author],
            subject=lambda: _("The state body answered your comment on “{title}”").format(
                title=comment.topic.title
            ),
            body=comment.answer,
            url=_url("funding:topic_detail", comment.topic_id),
            topic="funding.topic.answer",
        )
    return comment


@transaction.atomic
def topic_decide(*, actor: User, topic: Topic, approve: bool, reason: str = "") -> Topic:
    """Approve or drop a topic after the consultation; every comment must have its answer."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _require_organiser(actor, topic.owner_id)
    if approve and topic.comments.exclude(text="").filter(answer="").exists():
        raise DomainError(_("Answer every comment before approving the topic."))
    if not approve and not reason.strip():
        raise DomainError(_("Say why the topic is dropped."), field="reason")
    to = TopicStatus.APPROVED if approve else TopicStatus.DROPPED
    return _topic_transition(topic, to=to, actor=actor, reason=reason.strip())


# --- Competitions and lots --------------------------------------------------------------------


def _competition_transition(
    competition: Competition, *, to: str, actor: User, reason: str = "", fields: Sequence[str] = ()
) -> Competition:
    before = competition.status
    transition(
        competition,
        workflow=COMPETITION_WORKFLOW,
        to=to,
        actor=actor,
        note=reason,
        fields=fields,
    )
    _audit(actor, "competition.status", competition, {"status": [before, to], "reason": reason})
    return competition


@transaction.atomic
def competition_create(
    *,
    actor: User,
    programme: Programme,
    title_kk: str,
    title_ru: str,
    title_en: str = "",
    description_kk: str = "",
    description_ru: str = "",
    description_en: str = "",
    time_zone: str = "Asia/Almaty",
) -> Competition:
    _require_organiser(actor, programme.owner_id)
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise DomainError(_("Unknown time zone."), field="time_zone") from exc
    competition = Competition.objects.create(
        programme=programme,
        organiser=programme.owner,
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        description_kk=description_kk,
        description_ru=description_ru,
        description_en=description_en,
        time_zone=time_zone,
    )
    _audit(actor, "competition.create", competition, snapshot(competition))
    return competition


@transaction.atomic
def competition_update(
    *, actor: User, competition: Competition, expected_version: int, **values: Any
) -> Competition:
    editable = {
        "title_kk",
        "title_ru",
        "title_en",
        "description_kk",
        "description_ru",
        "description_en",
    }
    if set(values) - editable:
        raise ValueError(f"Not editable: {sorted(set(values) - editable)}")
    locked = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_organiser(actor, locked.organiser_id)
    check_version(locked, expected_version=expected_version)
    if locked.status != CompetitionStatus.DRAFT:
        raise DomainError(_("An announced competition can no longer be edited."))
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value.strip())
    changes = diff(before, snapshot(locked))
    if changes:
        locked.version += 1
        locked.save()
        _audit(actor, "competition.update", locked, changes)
    return locked


@transaction.atomic
def lot_add(
    *,
    actor: User,
    competition: Competition,
    title_kk: str,
    title_ru: str,
    region: Region | None,
    area: ActivityArea,
    budget_ceiling: int,
    title_en: str = "",
    topic: Topic | None = None,
) -> Lot:
    """Add a lot; `region` None makes it national (open to NGOs of every region)."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_organiser(actor, competition.organiser_id)
    if competition.status != CompetitionStatus.DRAFT:
        raise DomainError(_("Lots can be added only before the announcement."))
    if budget_ceiling <= 0:
        raise DomainError(_("The budget ceiling must be positive."), field="budget_ceiling")
    if topic is not None and topic.status != TopicStatus.APPROVED:
        raise DomainError(_("Only an approved topic can become a lot."), field="topic")
    number = (competition.lots.order_by("-number").values_list("number", flat=True).first()) or 0
    lot = Lot.objects.create(
        competition=competition,
        number=number + 1,
        title_kk=title_kk,
        title_ru=title_ru,
        title_en=title_en,
        region=region,
        area=area,
        budget_ceiling=budget_ceiling,
        topic=topic,
    )
    _audit(actor, "lot.create", lot, snapshot(lot))
    return lot


def deadline_after(start: dt.datetime, *, working_days: int, time_zone: str) -> dt.datetime:
    """The end of the working day `working_days` after `start`, in the competition's zone."""
    zone = zoneinfo.ZoneInfo(time_zone)
    local_day = start.astimezone(zone).date()
    day = add_working_days(local_day, working_days)
    return dt.datetime.combine(day, dt.time(DEADLINE_HOUR, 0), tzinfo=zone)


@transaction.atomic
def competition_announce(*, actor: User, competition: Competition) -> Competition:
    competition = (
        Competition.objects.select_for_update().select_related("programme").get(pk=competition.pk)
    )
    _require_organiser(actor, competition.organiser_id)
    lots = list(competition.lots.all())
    if not lots:
        raise DomainError(_("Add at least one lot before announcing the competition."))
    budget = sum(lot.budget_ceiling for lot in lots)
    if budget > competition.programme.budget:
        raise DomainError(_("The lots together exceed the programme's budget."))
    now = timezone.now()
    competition.announced_at = now
    competition.application_deadline = deadline_after(
        now,
        working_days=competition.programme.application_days,
        time_zone=competition.time_zone,
    )
    _competition_transition(
        competition,
        to=CompetitionStatus.ANNOUNCED,
        actor=actor,
        fields=["announced_at", "application_deadline"],
    )
    deadline = competition.application_deadline.astimezone(
        zoneinfo.ZoneInfo(competition.time_zone)
    ).strftime("%d.%m.%Y %H:%M")
    notify(
        recipients=ngo_admins_concerned_by(lots),
        subject=lambda: _("New competition: “{title}”").format(title=competition.title),
        body=lambda: _("Applications are accepted until {deadline} ({zone}).").format(
            deadline=deadline, zone=competition.time_zone
        ),
        url=_url("funding:competition_detail", competition.pk),
        topic="funding.competition.announced",
    )
    return competition


@transaction.atomic
def competition_close(*, actor: User, competition: Competition) -> Competition:
    """After the deadline the organiser starts the compliance check (its due date is set)."""
    competition = (
        Competition.objects.select_for_update().select_related("programme").get(pk=competition.pk)
    )
    _require_organiser(actor, competition.organiser_id)
    if competition_is_open(competition):
        raise DomainError(_("Applications are still accepted until the deadline."))
    deadline = competition.application_deadline
    assert deadline is not None
    local = deadline.astimezone(zoneinfo.ZoneInfo(competition.time_zone)).date()
    competition.compliance_due = add_working_days(local, competition.programme.compliance_days)
    return _competition_transition(
        competition, to=CompetitionStatus.COMPLIANCE, actor=actor, fields=["compliance_due"]
    )


@transaction.atomic
def competition_cancel(*, actor: User, competition: Competition, reason: str) -> Competition:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_organiser(actor, competition.organiser_id)
    if not reason.strip():
        raise DomainError(_("Say why the competition is cancelled."), field="reason")
    return _competition_transition(
        competition, to=CompetitionStatus.CANCELLED, actor=actor, reason=reason.strip()
    )


# --- Stage deadlines ----------------------------------------------------------------------------

REMINDER_WORKING_DAYS = 2


def _reminder_subject(
    stage: str, competition: Competition, due: dt.date, overdue: bool
) -> Callable[[], str]:
    def subject() -> str:
        day = due.strftime("%d.%m.%Y")
        if stage == ReminderStage.COMPLIANCE:
            if overdue:
                text = _("The compliance check of “{title}” is overdue: it was due on {day}")
            else:
                text = _("The compliance check of “{title}” is due on {day}")
        elif overdue:
            text = _("The evaluation of “{title}” is overdue: it was due on {day}")
        else:
            text = _("The evaluation of “{title}” is due on {day}")
        return text.format(title=competition.title, day=day)

    return subject


def deadline_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the organiser's officials of a compliance check or an evaluation due within
    REMINDER_WORKING_DAYS working days or overdue; once per competition, stage and day (the
    DeadlineReminder row and its unique constraint). Returns the number of reminders sent."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    stages = (
        (ReminderStage.COMPLIANCE, CompetitionStatus.COMPLIANCE, "compliance_due"),
        (ReminderStage.EVALUATION, CompetitionStatus.EVALUATION, "evaluation_due"),
    )
    sent = 0
    for stage, status, field in stages:
        done = DeadlineReminder.objects.filter(stage=stage, day=today).values("competition_id")
        due_soon = (
            Competition.objects.filter(status=status, **{f"{field}__lte": horizon})
            .exclude(pk__in=done)
            .order_by("pk")
        )
        for competition in due_soon:
            due: dt.date = getattr(competition, field)
            try:
                with transaction.atomic():
                    reminder = DeadlineReminder.objects.create(
                        competition=competition, stage=stage, day=today, due=due
                    )
                    rows = notify(
                        recipients=organiser_people(competition.organiser_id),
                        subject=_reminder_subject(stage, competition, due, due < today),
                        url=_url("funding:competition_manage", competition.pk),
                        topic=f"funding.competition.{stage}_due",
                    )
                    reminder.recipients = len(rows)
                    reminder.save(update_fields=["recipients"])
            except IntegrityError:  # another worker reminded this competition today
                continue
            sent += 1
    return sent


# --- Competition documents ------------------------------------------------------------------

DOCUMENT_STATUSES = (CompetitionStatus.DRAFT, CompetitionStatus.ANNOUNCED)


DOCUMENT_TYPES = frozenset({files.PDF, files.DOC, files.DOCX, files.ODT, files.XLS, files.XLSX})


def competition_document_add(
    *, actor: User, competition: Competition, title: str, upload: UploadedFile
) -> CompetitionDocument:
    """A public document of a draft or announced competition; its type is read from the
    content (PDF, DOC, DOCX, ODT, XLS, XLSX) by `ortaq.lib.files`, not from its name."""
    if not title.strip():
        raise DomainError(_("Give the document a title."), field="title")
    checked = uploads.accept(
        upload,
        allowed=DOCUMENT_TYPES,
        limit=_max_document_bytes(),
        refused=_("Only PDF, DOC, DOCX, ODT, XLS and XLSX files are accepted."),
    )
    with transaction.atomic():
        return _competition_document_store(
            actor=actor, competition=competition, title=title, checked=checked
        )


def _competition_document_store(
    *, actor: User, competition: Competition, title: str, checked: files.Checked
) -> CompetitionDocument:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_organiser(actor, competition.organiser_id)
    if competition.status not in DOCUMENT_STATUSES:
        raise DomainError(_("Documents are added only before the application deadline."))
    name = checked.name
    document = CompetitionDocument(
        competition=competition,
        title=title.strip()[:300],
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    document.file.save(
        f"{drawing.new_seed()}.{checked.extension}", ContentFile(checked.data), save=False
    )
    document.save()
    _audit(
        actor,
        "competition.document",
        document,
        {
            "competition": competition.pk,
            "title": document.title,
            "name": name,
            "size": checked.size,
        },
    )
    return document


@transaction.atomic
def competition_document_remove(*, actor: User, document: CompetitionDocument) -> None:
    """The organiser takes a document down while applications are still accepted."""
    competition = Competition.objects.select_for_update().get(pk=document.competition_id)
    _require_organiser(actor, competition.organiser_id)
    if competition.status not in DOCUMENT_STATUSES or (
        competition.status == CompetitionStatus.ANNOUNCED and not competition_is_open(competition)
    ):
        raise DomainError(_("Documents can no longer be removed after the deadline."))
    _audit(
        actor,
        "competition.document.remove",
        document,
        {"competition": competition.pk, "title": document.title, "name": document.original_name},
    )
    stored = document.file.name
    document.delete()
    transaction.on_commit(lambda: document.file.storage.delete(stored))


# --- Applications -----------------------------------------------------------------------------


def _application_transition(
    application: Application,
    *,
    to: str,
    actor: User,
    reason: str = "",
    fields: Sequence[str] = (),
) -> Application:
    before = application.status
    transition(
        application,
        workflow=APPLICATION_WORKFLOW,
        to=to,
        actor=actor,
        note=reason,
        fields=fields,
    )
    _audit(actor, "application.status", application, {"status": [before, to], "reason": reason})
    return application


def _require_applicant_admin(actor: User, application: Application) -> None:
    if not Membership.objects.filter(
        user=actor,
        organisation_id=application.ngo.organisation_id,
        role=Role.ADMIN,
        is_active=True,
    ).exists():
        raise DomainError(_("Only an administrator of the NGO may do this."))


def _require_open(competition: Competition) -> None:
    if not competition_is_open(competition):
        raise DomainError(_("The application deadline has passed."))


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("lot__competition__programme", "ngo__organisation")
        .get(pk=application.pk)
    )


APPLICATION_FIELDS = ("title", "description", "target_group", "reach", "region", "team")


@transaction.atomic
def application_create(
    *, actor: User, lot: Lot, ngo: NgoProfile, title: str, **values: Any
) -> Application:
    application = Application(lot=lot, ngo=ngo, title=title.strip(), created_by=actor)
    _require_applicant_admin(actor, application)
    _require_open(lot.competition)
    if set(values) - set(APPLICATION_FIELDS):
        raise ValueError(f"Not editable: {sorted(set(values) - set(APPLICATION_FIELDS))}")
    if values.get("region") is None:
        # A regional lot's project is in its region; a national lot's project is where the
        # applicant says, by default the NGO's own region.
        values["region"] = lot.region or ngo.organisation.region
        if values["region"] is None:
            raise DomainError(
                _("Choose the region where the project will be carried out."), field="region"
            )
    for name, value in values.items():
        setattr(application, name, value)
    if Application.objects.filter(lot=lot, ngo=ngo).exists():
        raise DomainError(_("Your NGO already has an application to this lot."))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a parallel request created it first
        raise DomainError(_("Your NGO already has an application to this lot.")) from exc
    _audit(actor, "application.create", application, snapshot(application))
    return application


def _require_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise DomainError(_("A sent application cannot be edited."))
    _require_open(application.lot.competition)


@transaction.atomic
def application_update(
    *, actor: User, application: Application, expected_version: int, **values: Any
) -> Application:
    if set(values) - set(APPLICATION_FIELDS):
        raise ValueError(f"Not editable: {sorted(set(values) - set(APPLICATION_FIELDS))}")
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    check_version(locked, expected_version=expected_version)
    _require_editable(locked)
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    changes = diff(before, snapshot(locked))
    if changes:
        locked.version += 1
        locked.save()
        _audit(actor, "application.update", locked, changes)
    return locked


@dataclass(frozen=True)
class BudgetItem:
    item: str
    kind: str
    amount: int


@dataclass(frozen=True)
class IndicatorItem:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


@transaction.atomic
def application_set_budget(
    *, actor: User, application: Application, lines: Sequence[BudgetItem]
) -> Application:
    """Replace the budget; the requested amount is always the sum of the lines."""
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_editable(locked)
    for line in lines:
        if line.amount <= 0 or not line.item.strip():
            raise DomainError(_("Each budget line needs an item and a positive amount."))
        if line.kind not in BudgetKind.values:
            raise DomainError(_("Unknown kind of budget line."))
    locked.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(application=locked, item=li.item.strip(), kind=li.kind, amount=li.amount)
        for li in lines
    )
    before = (locked.requested_amount, locked.institutional_amount)
    locked.requested_amount = sum(li.amount for li in lines)
    locked.institutional_amount = sum(
        li.amount for li in lines if li.kind == BudgetKind.INSTITUTIONAL
    )
    locked.version += 1
    locked.save(update_fields=["requested_amount", "institutional_amount", "version"])
    _audit(
        actor,
        "application.budget",
        locked,
        {
            "requested_amount": [before[0], locked.requested_amount],
            "lines": [[li.item, li.kind, li.amount] for li in lines],
        },
    )
    return locked


@transaction.atomic
def application_set_indicators(
    *, actor: User, application: Application, items: Sequence[IndicatorItem]
) -> Application:
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_editable(locked)
    for item in items:
        if not item.name.strip() or not item.unit.strip():
            raise DomainError(_("Each indicator needs a name and a unit."))
    locked.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            application=locked,
            name=i.name.strip(),
            unit=i.unit.strip(),
            baseline=i.baseline,
            target=i.target,
        )
        for i in items
    )
    locked.version += 1
    locked.save(update_fields=["version"])
    _audit(
        actor,
        "application.indicators",
        locked,
        {"indicators": [[i.name, i.unit, str(i.baseline), str(i.target)] for i in items]},
    )
    return locked


ATTACHMENT_TYPES = frozenset({files.PDF, files.PNG, files.JPEG})


def attachment_add(*, actor: User, application: Application, upload: UploadedFile) -> Attachment:
    """Store a PDF or image privately; the type is read from the content, not the name, and
    an image is re-encoded without its metadata (EXIF with the GPS position) before the
    transaction opens (`ortaq.core.uploads.accept`)."""
    checked = uploads.accept(
        upload,
        allowed=ATTACHMENT_TYPES,
        limit=max_upload_bytes(),
        refused=_("Only PDF files and PNG or JPEG images are accepted."),
    )
    with transaction.atomic():
        return _attachment_store(actor=actor, application=application, checked=checked)


def _attachment_store(
    *, actor: User, application: Application, checked: files.Checked
) -> Attachment:
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_editable(locked)
    attachment = Attachment(
        application=locked,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    attachment.file.save(
        f"{drawing.new_seed()}.{checked.extension}", ContentFile(checked.data), save=False
    )
    attachment.save()
    _audit(
        actor,
        "application.attachment",
        attachment,
        {"name": checked.name, "size": checked.size, "type": checked.content_type},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    locked = _lock_application(attachment.application)
    _require_applicant_admin(actor, locked)
    _require_editable(locked)
    _audit(actor, "application.attachment.remove", attachment, {"name": attachment.original_name})
    attachment.file.delete(save=False)
    attachment.delete()


def submission_problems(application: Application) -> list[str]:
    """Everything that stops the application from being sent, in words for the applicant."""
    problems = []
    lot = application.lot
    programme = lot.competition.programme
    reason = ngo_eligibility(application.ngo)
    if reason:
        problems.append(reason)
    lines = list(application.budget_lines.all())
    total = sum(line.amount for line in lines)
    institutional = sum(line.amount for line in lines if line.kind == BudgetKind.INSTITUTIONAL)
    if not lines:
        problems.append(_("Add the budget by line."))
    if total != application.requested_amount:
        problems.append(_("The requested amount must equal the sum of the budget lines."))
    if total > lot.budget_ceiling:
        problems.append(_("The budget exceeds the lot's ceiling."))
    cap = programme.institutional_cap_percent
    if cap is not None and institutional * 100 > total * cap:
        problems.append(
            # xgettext:no-python-format
            _("Institutional needs may be at most {cap}% of the budget.").format(cap=cap)
        )
    limits = programme_limits(programme)
    if limits.minimum is not None and total < limits.minimum:
        problems.append(_("The amount is below the programme's smallest amount."))
    if limits.maximum is not None and total > limits.maximum:
        problems.append(_("The amount is above the programme's largest amount."))
    if not application.indicators.exists():
        problems.append(_("Add at least one planned indicator."))
    if not application.description.strip():
        problems.append(_("Describe the project."))
    return problems


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_open(locked.lot.competition)
    problems = submission_problems(locked)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems))
    locked.submitted_at = timezone.now()
    _application_transition(
        locked, to=ApplicationStatus.SUBMITTED, actor=actor, fields=["submitted_at"]
    )
    url = _url("funding:application_detail", locked.pk)
    notify(
        recipients=ngo_people(locked.ngo.organisation_id),
        subject=lambda: _("Application “{title}” was submitted").format(title=locked.title),
        body=lambda: _("It will be checked after the deadline."),
        url=url,
        topic="funding.application.submitted",
    )
    return locked


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str) -> Application:
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_open(locked.lot.competition)
    return _application_transition(
        locked, to=ApplicationStatus.WITHDRAWN, actor=actor, reason=reason.strip()
    )


@transaction.atomic
def application_reopen(*, actor: User, application: Application) -> Application:
    """A withdrawn application becomes a draft again while the window is open."""
    locked = _lock_application(application)
    _require_applicant_admin(actor, locked)
    _require_open(locked.lot.competition)
    locked.submitted_at = None
    return _application_transition(
        locked, to=ApplicationStatus.DRAFT, actor=actor, fields=["submitted_at"]
    )


# --- Compliance -------------------------------------------------------------------------------


@transaction.atomic
def compliance_record(
    *, actor: User, application: Application, failures: Sequence[tuple[str, str]]
) -> Application:
    """Record the check: no failures → compliant; else non-compliant with each reason."""
    locked = _lock_application(application)
    competition = locked.lot.competition
    _require_organiser(actor, competition.organiser_id)
    if competition.status != CompetitionStatus.COMPLIANCE:
        raise DomainError(_("The compliance check is not running for this competition."))
    for reason, explanation in failures:
        if reason not in ComplianceReason.values:
            raise DomainError(_("Unknown reason."), field="reason")
        if not explanation.strip():
            raise DomainError(_("Explain each failure."), field="explanation")
    ComplianceFailure.objects.bulk_create(
        ComplianceFailure(
            application=locked, reason=reason, explanation=text.strip(), checked_by=actor
        )
        for reason, text in failures
    )

    def why() -> str:  # rendered again in each recipient's language by notify
        return "\n".join(
            f"{ComplianceReason(reason).label}: {text.strip()}" for reason, text in failures
        )

    if failures:
        _application_transition(
            locked, to=ApplicationStatus.NON_COMPLIANT, actor=actor, reason=why()
        )
        subject: Callable[[], str] = lambda: _(  # noqa: E731
            "Application “{title}” failed the compliance check"
        ).format(title=locked.title)
    else:
        _application_transition(locked, to=ApplicationStatus.COMPLIANT, actor=actor)
        subject = lambda: _(  # noqa: E731
            "Application “{title}” passed the compliance check"
        ).format(title=locked.title)
    notify(
        recipients=ngo_people(locked.ngo.organisation_id),
        subject=subject,
        body=why if failures else "",
        url=_url("funding:application_detail", locked.pk),
        topic="funding.application.compliance",
    )
    return locked


# --- Expert commission ------------------------------------------------------------------------


def _require_register_keeper(actor: User) -> None:
    if not can_keep_register(actor):
        raise DomainError(_("Only an organiser of funding may keep the expert register."))


@transaction.atomic
def expert_register(*, actor: User, email: str, areas: Iterable[ActivityArea]) -> Expert:
    """Put a person (found by the e-mail of his account) into the register with his areas.

    A person already in it gets the given areas; a deactivated one comes back.
    """
    _require_register_keeper(actor)
    areas = list(areas)
    if not areas:
        raise DomainError(_("Choose at least one activity area."), field="areas")
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise DomainError(
            _("Nobody with this e-mail has an account on the platform: ask him to sign up."),
            field="email",
        )
    expert = Expert.objects.select_for_update().filter(user=user).first()
    if expert is None:
        expert = Expert.objects.create(user=user)
        before: dict[str, Any] = {}
    else:
        before = {
            "is_active": expert.is_active,
            "areas": sorted(a.code for a in expert.areas.all()),
        }
        if not expert.is_active:
            expert.is_active = True
            expert.save(update_fields=["is_active"])
    expert.areas.set(areas)
    after = {"is_active": True, "areas": sorted(a.code for a in areas)}
    _audit(
        actor,
        "expert.register",
        expert,
        {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
    )
    return expert


@transaction.atomic
def expert_set_active(*, actor: User, expert: Expert, active: bool) -> Expert:
    """Take an expert out of the register (future draws skip him) or bring him back.

    Assignments he already has stay as they are.
    """
    _require_register_keeper(actor)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.is_active == active:
        return expert
    expert.is_active = active
    expert.save(update_fields=["is_active"])
    _audit(actor, "expert.active", expert, {"is_active": [not active, active]})
    return expert


def expert_conflict(expert: Expert, application: Application) -> tuple[str, str]:
    """The conflict the system can see between an expert and an application, with why."""
    user = expert.user
    ngo = application.ngo
    if Membership.objects.filter(
        user=user, organisation_id=ngo.organisation_id, is_active=True
    ).exists():
        return ConflictSource.APPLICANT, _("The expert belongs to the applicant NGO.")
    name = (user.full_name or "").strip().casefold()
    if name:
        people = [ngo.leader_name, *ngo.founders.splitlines()]
        if any(p.strip().casefold() == name for p in people if p.strip()):
            return ConflictSource.APPLICANT, _(
                "The expert is the leader or a founder of the applicant NGO."
            )
    lot = application.lot
    drafters = {lot.competition.organiser_id}
    if lot.topic_id:
        drafters.add(lot.topic.owner_id)  # type: ignore[union-attr]
    if Membership.objects.filter(user=user, organisation_id__in=drafters, is_active=True).exists():
        return ConflictSource.ORGANISER, _(
            "The expert belongs to the organiser that drafted the topic."
        )
    return ConflictSource.NONE, ""


def _assign(application: Application, expert: Expert, draw: ExpertDraw, role: str) -> Assignment:
    """Assign one expert, or record the conflict the system sees and return it recused."""
    source, note = expert_conflict(expert, application)
    return Assignment.objects.create(
        application=application,
        expert=expert,
        draw=draw,
        role=role,
        status=AssignmentStatus.RECUSED if source else AssignmentStatus.ASSIGNED,
        conflict=source,
        conflict_note=note,
    )


def _replace(assignment: Assignment) -> Assignment | None:
    """Give the application the first reserve of the draw who is free and without conflict."""
    draw = assignment.draw
    taken = set(
        Assignment.objects.filter(application=assignment.application).values_list(
            "expert_id", flat=True
        )
    )
    for expert_id in draw.reserves:
        if expert_id in taken:
            continue
        expert = Expert.objects.select_related("user").get(pk=expert_id)
        new = _assign(assignment.application, expert, draw, AssignmentRole.RESERVE)
        new.replaces = assignment
        new.save(update_fields=["replaces"])
        if new.status == AssignmentStatus.RECUSED:
            return _replace(new)
        _notify_assigned([new])
        return new
    return None


def _notify_assigned(assignments: list[Assignment]) -> None:
    for a in assignments:
        notify(
            recipients=[a.expert.user],
            subject=lambda: _("You are asked to evaluate an application"),
            body=lambda: _("Declare that you have no conflict of interest to open it."),
            url=_url("funding:assignment_detail", a.pk),
            topic="funding.assignment",
        )


@transaction.atomic
def expert_draw(*, actor: User, competition: Competition, area: ActivityArea) -> ExpertDraw:
    """Draw 3 experts + 3 reserves (programme's numbers) of the area and assign them."""
    competition = (
        Competition.objects.select_for_update().select_related("programme").get(pk=competition.pk)
    )
    _require_organiser(actor, competition.organiser_id)
    if competition.status != CompetitionStatus.EVALUATION:
        raise DomainError(_("Experts are drawn when the evaluation starts."))
    if ExpertDraw.objects.filter(competition=competition, area=area).exists():
        raise DomainError(_("The experts of this area have been drawn already."))
    programme = competition.programme
    pool = list(
        Expert.objects.filter(is_active=True, areas=area, user__is_active=True).values_list(
            "pk", flat=True
        )
    )
    if len(set(pool)) < programme.experts_per_area:
        raise DomainError(
            _("The register has too few experts in the area “{area}”.").format(area=area.name)
        )
    result = drawing.draw_experts(
        pool,
        seed=drawing.new_seed(),
        main=programme.experts_per_area,
        reserves=programme.reserves_per_area,
    )
    draw = ExpertDraw.objects.create(
        competition=competition,
        area=area,
        seed=result.seed,
        pool=list(result.pool),
        main=list(result.main),
        reserves=list(result.reserves),
        algorithm=result.algorithm,
        drawn_by=actor,
    )
    _audit(
        actor,
        "draw",
        draw,
        {"seed": draw.seed, "pool": draw.pool, "main": draw.main, "reserves": draw.reserves},
    )
    experts = {e.pk: e for e in Expert.objects.select_related("user").filter(pk__in=result.main)}
    applications = Application.objects.filter(
        lot__competition=competition, lot__area=area, status=ApplicationStatus.COMPLIANT
    ).select_related("ngo", "lot__competition", "lot__topic")
    fresh = []
    for application in applications:
        for expert_id in result.main:
            assignment = _assign(application, experts[expert_id], draw, AssignmentRole.MAIN)
            if assignment.status == AssignmentStatus.RECUSED:
                _replace(assignment)
            else:
                fresh.append(assignment)
    _notify_assigned(fresh)
    return draw


def draw_verifies(draw: ExpertDraw) -> bool:
    return drawing.verify_draw(
        pool=draw.pool,
        seed=draw.seed,
        main=len(draw.main),
        reserves=len(draw.reserves),
        drawn=draw.main,
        drawn_reserves=draw.reserves,
        algorithm=draw.algorithm,
    )


@transaction.atomic
def evaluation_start(*, actor: User, competition: Competition) -> Competition:
    """Close the compliance check and draw the experts of every area with compliant lots."""
    competition = (
        Competition.objects.select_for_update().select_related("programme").get(pk=competition.pk)
    )
    _require_organiser(actor, competition.organiser_id)
    if Application.objects.filter(
        lot__competition=competition, status=ApplicationStatus.SUBMITTED
    ).exists():
        raise DomainError(_("Check every submitted application first."))
    competition.evaluation_due = add_working_days(
        timezone.localdate(), competition.programme.evaluation_days
    )
    _competition_transition(
        competition, to=CompetitionStatus.EVALUATION, actor=actor, fields=["evaluation_due"]
    )
    areas = ActivityArea.objects.filter(
        pk__in=Lot.objects.filter(
            competition=competition, applications__status=ApplicationStatus.COMPLIANT
        ).values("area_id")
    ).order_by("code")
    for area in areas:
        expert_draw(actor=actor, competition=competition, area=area)
    return competition


def _assignment_transition(
    assignment: Assignment, *, to: str, actor: User, fields: Sequence[str] = ()
) -> Assignment:
    before = assignment.status
    transition(assignment, workflow=ASSIGNMENT_WORKFLOW, to=to, actor=actor, fields=fields)
    _audit(actor, "assignment.status", assignment, {"status": [before, to]})
    return assignment


def _lock_assignment(assignment: Assignment, actor: User) -> Assignment:
    locked = (
        Assignment.objects.select_for_update()
        .select_related("expert__user", "application__lot__competition", "draw")
        .get(pk=assignment.pk)
    )
    if locked.expert.user_id != actor.pk:
        raise DomainError(_("This is not your assignment."))
    if locked.application.lot.competition.status != CompetitionStatus.EVALUATION:
        raise DomainError(_("The evaluation of this competition is over."))
    return locked


@transaction.atomic
def assignment_declare(
    *, actor: User, assignment: Assignment, no_conflict: bool, note: str = ""
) -> Assignment:
    """The expert declares no conflict (and may then open the application), or recuses."""
    locked = _lock_assignment(assignment, actor)
    locked.declared_at = timezone.now()
    if no_conflict:
        return _assignment_transition(
            locked, to=AssignmentStatus.DECLARED, actor=actor, fields=["declared_at"]
        )
    if not note.strip():
        raise DomainError(_("Describe the conflict of interest."), field="note")
    locked.conflict = ConflictSource.DECLARED
    locked.conflict_note = note.strip()
    _assignment_transition(
        locked,
        to=AssignmentStatus.RECUSED,
        actor=actor,
        fields=["declared_at", "conflict", "conflict_note"],
    )
    if _replace(locked) is None:
        notify(
            recipients=organiser_people(locked.application.lot.competition.organiser_id),
            subject=lambda: _("No reserve expert is left for an application"),
            url=_url("funding:organiser_applications", locked.application.lot.competition_id),
            topic="funding.assignment.no_reserve",
        )
    return locked


@transaction.atomic
def scores_submit(
    *,
    actor: User,
    assignment: Assignment,
    values: dict[int, int | None],
    comments: dict[int, str] | None = None,
    comment: str = "",
) -> Assignment:
    """Submit the scores by criterion at once; empty = not applicable. Final once sent."""
    locked = _lock_assignment(assignment, actor)
    if locked.status != AssignmentStatus.DECLARED:
        raise DomainError(_("Declare that you have no conflict of interest first."))
    criteria = list(locked.application.lot.competition.programme.criteria.all())
    comments = comments or {}
    if set(values) != {c.pk for c in criteria}:
        raise DomainError(_("Score every criterion (or mark it not applicable)."))
    if all(v is None for v in values.values()):
        raise DomainError(_("At least one criterion must be scored."))
    for criterion in criteria:
        value = values[criterion.pk]
        if value is not None and not 0 <= value <= criterion.scale_max:
            raise DomainError(
                _("Scores of “{name}” are from 0 to {max}.").format(
                    name=criterion.name, max=criterion.scale_max
                )
            )
    Score.objects.bulk_create(
        Score(
            assignment=locked,
            criterion=c,
            value=values[c.pk],
            comment=comments.get(c.pk, "").strip(),
        )
        for c in criteria
    )
    locked.submitted_at = timezone.now()
    locked.comment = comment.strip()
    _assignment_transition(
        locked,
        to=AssignmentStatus.SUBMITTED,
        actor=actor,
        fields=["submitted_at", "comment"],
    )
    return locked


# --- Decision ---------------------------------------------------------------------------------


def _decision_transition(decision: Decision, *, to: str, actor: User) -> Decision:
    before = decision.status
    DECISION_WORKFLOW.check(before, to)
    fields = []
    if to == DecisionStatus.CONFIRMED:
        decision.confirmed_by, decision.confirmed_at = actor, timezone.now()
        fields += ["confirmed_by", "confirmed_at"]
    elif to == DecisionStatus.APPROVED:
        decision.approved_by, decision.approved_at = actor, timezone.now()
        fields += ["approved_by", "approved_at"]
    transition(decision, workflow=DECISION_WORKFLOW, to=to, actor=actor, fields=fields)
    _audit(actor, "decision.status", decision, {"status": [before, to]})
    return decision


@transaction.atomic
def decision_compute(*, actor: User, competition: Competition) -> Decision:
    """The trial allocation: rank per lot, fit into the budgets, explain every skip.

    It can be computed again while it is only a proposal (e.g. after a late score).
    """
    competition = (
        Competition.objects.select_for_update().select_related("programme").get(pk=competition.pk)
    )
    _require_organiser(actor, competition.organiser_id)
    if competition.status == CompetitionStatus.EVALUATION:
        pending = Assignment.objects.filter(
            application__lot__competition=competition,
            status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED],
        ).exists()
        if pending:
            raise DomainError(_("Some experts have not submitted their scores yet."))
        _competition_transition(competition, to=CompetitionStatus.DECISION, actor=actor)
    elif competition.status != CompetitionStatus.DECISION:
        raise DomainError(_("The decision is taken after the evaluation."))
    decision = Decision.objects.filter(competition=competition).first()
    if decision and decision.status != DecisionStatus.PROPOSED:
        raise DomainError(_("The decision has been confirmed and can no longer be recomputed."))
    if decision is None:
        decision = Decision.objects.create(
            competition=competition, computed_by=actor, computed_at=timezone.now()
        )
    else:
        decision.lines.all().delete()
        decision.computed_by, decision.computed_at = actor, timezone.now()
        decision.save(update_fields=["computed_by", "computed_at"])
    aggregates = competition_aggregates(competition)
    applications = list(
        Application.objects.filter(lot__competition=competition, status=ApplicationStatus.COMPLIANT)
    )
    candidates = [
        allocation.Candidate(
            id=a.pk,
            lot_id=a.lot_id,
            score=aggregates[a.pk].total if a.pk in aggregates else None,
            amount=a.requested_amount,
            submitted_at=a.submitted_at or a.created_at,
        )
        for a in applications
    ]
    budgets = dict(competition.lots.values_list("pk", "budget_ceiling"))
    lines = allocation.allocate(candidates, budgets, pass_score=competition.programme.pass_score)
    DecisionLine.objects.bulk_create(
        DecisionLine(
            decision=decision,
            application_id=line.candidate.id,
            rank=line.rank,
            total_score=line.candidate.score,
            divergent=(
                aggregates[line.candidate.id].divergent
                if line.candidate.id in aggregates
                else False
            ),
            funded=line.funded,
            amount=line.candidate.amount if line.funded else 0,
            skip_reason=line.reason,
            remaining_before=line.remaining_before,
        )
        for line in lines
    )
    _audit(
        actor,
        "decision.compute",
        decision,
        {"lines": [[li.candidate.id, li.rank, li.funded, li.reason] for li in lines]},
    )
    return decision


@transaction.atomic
def decision_confirm(*, actor: User, decision: Decision) -> Decision:
    decision = (
        Decision.objects.select_for_update().select_related("competition").get(pk=decision.pk)
    )
    _require_organiser(actor, decision.competition.organiser_id)
    return _decision_transition(decision, to=DecisionStatus.CONFIRMED, actor=actor)


@transaction.atomic
def decision_approve(*, actor: User, decision: Decision) -> Decision:
    """The second approver: another organiser than the one who confirmed."""
    decision = (
        Decision.objects.select_for_update().select_related("competition").get(pk=decision.pk)
    )
    _require_organiser(actor, decision.competition.organiser_id)
    if decision.confirmed_by_id == actor.pk:
        raise DomainError(_("The second approval must come from another person."))
    return _decision_transition(decision, to=DecisionStatus.APPROVED, actor=actor)


@transaction.atomic
def decision_publish(*, actor: User, decision: Decision) -> Decision:
    """Publish: applications become funded / not funded with the reason; results go public."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("competition__programme")
        .get(pk=decision.pk)
    )
    competition = decision.competition
    _require_organiser(actor, competition.organiser_id)
    if competition.programme.second_approval and decision.status != DecisionStatus.APPROVED:
        raise DomainError(_("This programme needs a second approver before publication."))
    _decision_transition(decision, to=DecisionStatus.PUBLISHED, actor=actor)
    for line in decision.lines.select_related("application__ngo"):
        application = _lock_application(line.application)

        def reason(line: Any = line) -> str:  # rendered again in each recipient's language
            if line.funded:
                return _("Rank {rank}, total score {score}.").format(
                    rank=line.rank, score=line.total_score
                )
            return _("Rank {rank}: {why}").format(
                rank=line.rank, why=line.get_skip_reason_display()
            )

        to = ApplicationStatus.FUNDED if line.funded else ApplicationStatus.NOT_FUNDED
        _application_transition(application, to=to, actor=actor, reason=reason())

        def subject(title: str = application.title) -> str:
            return _("Results of the competition for “{title}”").format(title=title)

        notify(
            recipients=ngo_people(application.ngo.organisation_id),
            subject=subject,
            body=reason,
            url=_url("funding:application_detail", application.pk),
            topic="funding.application.decision",
        )
    competition.published_at = timezone.now()
    _competition_transition(
        competition, to=CompetitionStatus.PUBLISHED, actor=actor, fields=["published_at"]
    )
    return decision


def sent_application_count(competition: Competition) -> int:
    return Application.objects.filter(
        lot__competition=competition, status__in=SENT_STATUSES
    ).count()
