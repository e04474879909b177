"""Councils and their rules, compositions and members, renewal calls, elections, meetings,
agenda, attendance and votes, protocols with versions, recommendations and their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.enums import Level
from ortaq.accounts.models import Organisation
from ortaq.core.i18n import NamedModel, pick
from ortaq.core.models import StatusChangeBase
from ortaq.reference.models import Region

from .enums import (
    AgendaKind,
    AnswerKind,
    CallStatus,
    CompositionSource,
    CompositionStatus,
    CouncilKind,
    ElectionStatus,
    MeetingStatus,
    MemberCategory,
    NominationStatus,
    Position,
    ProtocolStatus,
    RecommendationStatus,
    VoteChoice,
    VoteMode,
)

USER = settings.AUTH_USER_MODEL


def _valid(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Council(NamedModel):
    """A council attached to a host organisation, with its own rules (docs/domain.md §6)."""

    kind = models.CharField(_("kind"), max_length=20, choices=CouncilKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("attached to"),
        on_delete=models.PROTECT,
        related_name="councils",
        help_text=_("The state body, quasi-public organisation or NGO association."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
    )
    description = models.TextField(_("description"), blank=True)
    # The rules, configurable per council; defaults from docs/domain.md §6.
    min_members = models.PositiveSmallIntegerField(_("minimum members"), default=10)
    max_members = models.PositiveSmallIntegerField(_("maximum members"), default=30)
    civil_share_num = models.PositiveSmallIntegerField(
        _("minimum civil-society share: numerator"), default=2
    )
    civil_share_den = models.PositiveSmallIntegerField(
        _("minimum civil-society share: denominator"), default=3
    )
    one_per_organisation = models.BooleanField(_("one representative per NGO"), default=True)
    term_years = models.PositiveSmallIntegerField(_("term in years"), default=3)
    renewal_months = models.PositiveSmallIntegerField(
        _("call for candidates opens (months before the term ends)"), default=2
    )
    quorum_num = models.PositiveSmallIntegerField(_("quorum: numerator"), default=1)
    quorum_den = models.PositiveSmallIntegerField(_("quorum: denominator"), default=2)
    quorum_strict = models.BooleanField(
        _("quorum needs more than the share"),
        default=True,
        help_text=_("On: more than the share must be present; off: at least the share."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("working days for an answer to a recommendation"), default=10
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            _valid("kind", CouncilKind, "council_kind_valid"),
            _valid("level", Level, "council_level_valid"),
            models.CheckConstraint(
                condition=Q(min_members__gte=1) & Q(max_members__gte=models.F("min_members")),
                name="council_size_range",
            ),
            models.CheckConstraint(
                condition=Q(civil_share_den__gte=1)
                & Q(civil_share_num__lte=models.F("civil_share_den")),
                name="council_civil_share_fraction",
            ),
            models.CheckConstraint(
                condition=Q(quorum_den__gte=1) & Q(quorum_num__lte=models.F("quorum_den")),
                name="council_quorum_fraction",
            ),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="council_term_positive"),
        ]
        indexes = [models.Index(fields=["region", "organisation"])]

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", args=[self.pk])


class Composition(models.Model):
    """One term's membership of a council: draft → approved → current → past."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="compositions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompositionStatus.choices,
        default=CompositionStatus.DRAFT,
    )
    source = models.CharField(
        _("formed"),
        max_length=10,
        choices=CompositionSource.choices,
        default=CompositionSource.APPOINTED,
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["council", "-number"]
        verbose_name = _("composition")
        verbose_name_plural = _("compositions")
        constraints = [
            _valid("status", CompositionStatus, "composition_status_valid"),
            _valid("source", CompositionSource, "composition_source_valid"),
            models.UniqueConstraint(fields=["council", "number"], name="composition_number"),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(status=CompositionStatus.CURRENT),
                name="composition_one_current",
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="composition_term_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.term_start:%Y}–{self.term_end:%Y}"


class CompositionStatusChange(StatusChangeBase):
    composition = models.ForeignKey(
        Composition, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.composition_id}: {self.from_status} → {self.to_status}"


class CouncilMember(models.Model):
    """A seat in a composition; the linked account gets the position's permissions."""

    composition = models.ForeignKey(
        Composition, verbose_name=_("composition"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        USER,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("For invitations when no account is linked.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
    )
    category = models.CharField(_("category"), max_length=10, choices=MemberCategory.choices)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )
    appointed_on = models.DateField(_("appointed"))
    ceased_on = models.DateField(_("ceased"), null=True, blank=True)

    class Meta:
        ordering = ["composition", "position", "full_name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            _valid("category", MemberCategory, "member_category_valid"),
            _valid("position", Position, "member_position_valid"),
            models.UniqueConstraint(
                fields=["composition", "user"],
                condition=Q(user__isnull=False) & Q(ceased_on__isnull=True),
                name="member_one_seat_per_person",
            ),
            models.UniqueConstraint(
                fields=["composition"],
                condition=Q(position=Position.CHAIR) & Q(ceased_on__isnull=True),
                name="member_one_chair",
            ),
            models.UniqueConstraint(
                fields=["composition"],
                condition=Q(position=Position.SECRETARY) & Q(ceased_on__isnull=True),
                name="member_one_secretary",
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=models.F("appointed_on")),
                name="member_ceased_after_appointed",
            ),
        ]
        indexes = [models.Index(fields=["user", "composition"])]

    def __str__(self) -> str:
        return self.full_name


class CandidateCall(models.Model):
    """The call for candidates of the next composition, opened before a term ends."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="calls")
    ending = models.OneToOneField(
        Composition,
        verbose_name=_("ending composition"),
        on_delete=models.CASCADE,
        related_name="renewal_call",
    )
    next_composition = models.OneToOneField(
        Composition,
        verbose_name=_("next composition"),
        on_delete=models.CASCADE,
        related_name="filled_by_call",
    )
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN
    )

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("call for candidates")
        verbose_name_plural = _("calls for candidates")
        constraints = [_valid("status", CallStatus, "call_status_valid")]

    def __str__(self) -> str:
        return f"{self.council} · {self.opens_on}–{self.closes_on}"


class Nomination(models.Model):
    call = models.ForeignKey(CandidateCall, on_delete=models.CASCADE, related_name="nominations")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("nominated by"), on_delete=models.PROTECT
    )
    full_name = models.CharField(_("candidate"), max_length=200)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    motivation = models.TextField(_("why this candidate"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "organisation__name_ru", "full_name"]
        constraints = [
            _valid("status", NominationStatus, "nomination_status_valid"),
            models.UniqueConstraint(
                fields=["call", "organisation"], name="nomination_one_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Election(models.Model):
    """A general meeting electing a composition: one ballot per member organisation."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="elections")
    held_on = models.DateField(_("general meeting"))
    seats = models.PositiveSmallIntegerField(_("seats"))
    max_choices = models.PositiveSmallIntegerField(_("choices per ballot"))
    term_start = models.DateField(_("term starts"))
    status = models.CharField(
        _("status"), max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT
    )
    electors = models.ManyToManyField(
        Organisation, verbose_name=_("member organisations"), related_name="elections"
    )
    composition = models.OneToOneField(
        Composition,
        verbose_name=_("elected composition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="election",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            _valid("status", ElectionStatus, "election_status_valid"),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(max_choices__gte=1), name="election_seats"
            ),
            models.CheckConstraint(
                condition=Q(max_choices__lte=models.F("seats")),
                name="election_choices_within_seats",
            ),
            models.CheckConstraint(
                condition=Q(term_start__gte=models.F("held_on")),
                name="election_term_after_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("councils:election", args=[self.pk])


class ElectionCandidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    full_name = models.CharField(_("candidate"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    category = models.CharField(
        _("category"), max_length=10, choices=MemberCategory.choices, default=MemberCategory.CIVIL
    )
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        ordering = ["election", "full_name"]
        constraints = [_valid("category", MemberCategory, "candidate_category_valid")]

    def __str__(self) -> str:
        return self.full_name


class Ballot(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    choices = models.ManyToManyField(ElectionCandidate, blank=True, related_name="ballots")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "organisation"], name="ballot_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.election_id} · {self.organisation_id}"


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    composition = models.ForeignKey(Composition, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            _valid("status", MeetingStatus, "meeting_status_valid"),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="meeting_place_or_link"
            ),
        ]
        indexes = [
            models.Index(fields=["council", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("number"))
    topic_kk = models.CharField(_("topic (Kazakh)"), max_length=500, blank=True)
    topic_ru = models.CharField(_("topic (Russian)"), max_length=500, blank=True)
    speaker = models.CharField(_("speaker"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=15, choices=AgendaKind.choices, default=AgendaKind.DISCUSSION
    )
    documents = models.TextField(_("documents"), blank=True, help_text=_("One link per line."))
    vote_mode = models.CharField(
        _("vote"), max_length=10, choices=VoteMode.choices, default=VoteMode.NONE
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"), null=True, blank=True)
    decision_kk = models.TextField(_("decision (Kazakh)"), blank=True)
    decision_ru = models.TextField(_("decision (Russian)"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            _valid("kind", AgendaKind, "agenda_kind_valid"),
            _valid("vote_mode", VoteMode, "agenda_vote_mode_valid"),
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique"),
            models.CheckConstraint(
                condition=~Q(topic_kk="") | ~Q(topic_ru=""), name="agenda_topic_present"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def topic(self) -> str:
        return pick(self, "topic")

    @property
    def decision(self) -> str:
        return pick(self, "decision")


def _document_path(document: AgendaDocument, filename: str) -> str:
    return f"councils/documents/{document.item.meeting_id}/{filename}"


class AgendaDocument(models.Model):
    """A file of an agenda item (PDF, DOC, DOCX or ODT). Council documents are public, so
    the file lives under MEDIA_ROOT with a random name; its type was read from its content."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at", "pk"]
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")

    def __str__(self) -> str:
        return self.original_name


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.member_id}: {self.present}"


class Vote(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)

    class Meta:
        constraints = [
            _valid("choice", VoteChoice, "vote_choice_valid"),
            models.UniqueConstraint(fields=["item", "member"], name="vote_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.member_id}: {self.choice}"


class Protocol(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="protocol")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.meeting}"


class ProtocolVersion(models.Model):
    """A frozen snapshot of the meeting; once published it never changes (a correction is n+1)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProtocolStatus.choices, default=ProtocolStatus.DRAFT
    )
    content = models.JSONField(_("content"))
    correction_note = models.TextField(_("what was corrected"), blank=True)
    chair_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chair_approved_at = models.DateTimeField(null=True, blank=True)
    secretary_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    secretary_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [
            _valid("status", ProtocolStatus, "protocol_status_valid"),
            models.UniqueConstraint(fields=["protocol", "number"], name="protocol_version_unique"),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(status=ProtocolStatus.DRAFT),
                name="protocol_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=ProtocolStatus.DRAFT)
                | (
                    Q(chair_approved_at__isnull=False)
                    & Q(secretary_approved_at__isnull=False)
                    & Q(published_at__isnull=False)
                ),
                name="protocol_published_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} · v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == ProtocolStatus.PUBLISHED


class Recommendation(models.Model):
    """A decision's recommendation to a state body, which must answer it within the term."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="recommendations")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recommendations")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    addressee = models.ForeignKey(
        Organisation,
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="council_recommendations",
    )
    text_kk = models.TextField(_("recommendation (Kazakh)"), blank=True)
    text_ru = models.TextField(_("recommendation (Russian)"), blank=True)
    sent_on = models.DateField(_("sent"))
    due_on = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.SENT,
    )
    answer = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices, blank=True)
    answer_text = models.TextField(_("reasons"), blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(_("implementation, %"), default=0)
    implemented_on = models.DateField(_("implemented"), null=True, blank=True)
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            _valid("status", RecommendationStatus, "recommendation_status_valid"),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answer__in=AnswerKind.values),
                name="recommendation_answer_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="recommendation_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(status=RecommendationStatus.SENT)
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="recommendation_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(text_kk="") | ~Q(text_ru=""), name="recommendation_text_present"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("sent_on")), name="recommendation_due_after_sent"
            ),
        ]
        indexes = [
            models.Index(fields=["addressee", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("councils:recommendation", args=[self.pk])

    @property
    def text(self) -> str:
        return pick(self, "text")


class ImplementationReport(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reports"
    )
    progress = models.PositiveSmallIntegerField(_("implementation, %"))
    text = models.TextField(_("what was done"))
    reported_on = models.DateField(_("reported"))
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["recommendation", "reported_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.progress}%"


class MeetingStatusChange(StatusChangeBase):
    """Who moved a meeting from planned to held (or cancelled), and when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=MeetingStatus.choices)
    to_status = models.CharField(max_length=10, choices=MeetingStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.from_status} → {self.to_status}"


class RecommendationStatusChange(StatusChangeBase):
    """Who answered a recommendation or reported it implemented, and when."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=RecommendationStatus.choices)
    to_status = models.CharField(max_length=12, choices=RecommendationStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.from_status} → {self.to_status}"
