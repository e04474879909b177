"""Topic planning: a state body proposes, the public comments and supports during the
consultation window, the body answers every comment, then approves (an approved topic becomes
a lot) or drops the topic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.accounts.enums import Role
from ortaq.audit.models import AuditEntry
from ortaq.core.errors import DomainError
from ortaq.funding.competitions import services
from ortaq.funding.enums import TopicStatus
from ortaq.funding.models import Topic, TopicComment
from ortaq.notifications.models import Notification
from tests.access import (
    EVERYONE,
    SIGNED_IN,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)
from tests.factories import MembershipFactory, UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db

BODY = frozenset({"official", "regional_admin"})
STATE_ORGANISERS = frozenset({"official", "regional_admin", "other_regional_admin"})


def _propose(cast: Cast, actor: str = "official", **values: Any) -> Topic:
    state_body = cast.objects["state_body"]
    data: dict[str, Any] = {
        "year": timezone.localdate().year + 1,
        "title_kk": "Жастар саясаты",
        "title_ru": "Молодёжная политика",
        "title_en": "Youth policy",
        "area": f.area(),
        "region": state_body.region,
        "problem": "Мало кружков в сёлах",
        "expected_results": "Кружки в 10 сёлах",
        "indicators": [{"name": "Кружки", "unit": "шт.", "target": "10"}],
        "budget_estimate": 20_000_000,
    }
    data.update(values)
    return services.topic_propose(actor=cast.users[actor], owner=state_body, **data)


def _in_consultation(cast: Cast, days: int = 10) -> Topic:
    topic = _propose(cast)
    return services.topic_open_consultation(
        actor=cast.users["official"],
        topic=topic,
        until=timezone.localdate() + dt.timedelta(days=days),
    )


# --- Services ---------------------------------------------------------------------------------


def test_an_official_proposes_a_draft_topic_for_his_body(cast: Cast) -> None:
    topic = _propose(cast)
    assert (topic.status, topic.owner, topic.created_by) == (
        TopicStatus.DRAFT,
        cast.objects["state_body"],
        cast.users["official"],
    )
    assert topic.indicators == [{"name": "Кружки", "unit": "шт.", "target": "10"}]
    assert AuditEntry.objects.filter(action="funding.topic.create").count() == 1


def test_only_officials_of_that_state_body_propose(cast: Cast) -> None:
    for role in ("other_regional_admin", "ngo_admin", "citizen", "expert", "platform_admin"):
        with pytest.raises(DomainError, match="Only an official of the state body"):
            _propose(cast, actor=role)
    # An official of a grant operator organises grants but does not plan a state body's topics.
    fund_official = MembershipFactory(
        user=UserFactory(), organisation=cast.objects["fund"], role=Role.OFFICIAL
    ).user
    with pytest.raises(DomainError, match="Only an official of the state body"):
        services.topic_propose(
            actor=fund_official,
            owner=cast.objects["fund"],
            year=2030,
            title_kk="x",
            title_ru="x",
            area=f.area(),
            region=cast.objects["state_body"].region,
            problem="x",
            expected_results="x",
            indicators=[],
            budget_estimate=1,
        )
    assert Topic.objects.count() == 0


def test_the_budget_estimate_must_be_positive(cast: Cast) -> None:
    with pytest.raises(DomainError, match="must be positive") as exc:
        _propose(cast, budget_estimate=0)
    assert exc.value.field == "budget_estimate"


def test_the_consultation_opens_until_a_future_day(cast: Cast) -> None:
    topic = _propose(cast)
    with pytest.raises(DomainError, match="end in the future"):
        services.topic_open_consultation(
            actor=cast.users["official"], topic=topic, until=timezone.localdate()
        )
    until = timezone.localdate() + dt.timedelta(days=5)
    topic = services.topic_open_consultation(actor=cast.users["official"], topic=topic, until=until)
    assert (topic.status, topic.consultation_ends) == (TopicStatus.CONSULTATION, until)
    assert list(topic.status_changes.values_list("from_status", "to_status", "actor")) == [
        ("draft", "consultation", cast.users["official"].pk)
    ]
    with pytest.raises(DomainError, match="Only the organiser"):
        services.topic_open_consultation(
            actor=cast.users["other_regional_admin"], topic=topic, until=until
        )


def test_nobody_comments_a_draft(cast: Cast) -> None:
    topic = _propose(cast)
    with pytest.raises(DomainError, match="consultation on this topic is closed"):
        services.topic_comment(actor=cast.users["citizen"], topic=topic, text="Хорошо")


def test_any_signed_in_person_comments_or_supports_during_the_window(cast: Cast) -> None:
    topic = _in_consultation(cast)
    citizen = services.topic_comment(actor=cast.users["citizen"], topic=topic, supports=True)
    ngo = services.topic_comment(
        actor=cast.users["ngo_admin"],
        topic=topic,
        text="  Добавьте сёла Жалагашского района ",
        acting_for=cast.objects["own_ngo"],
    )
    assert list(topic.comments.values_list("pk", "author", "organisation", "supports", "text")) == [
        (citizen.pk, cast.users["citizen"].pk, None, True, ""),
        (
            ngo.pk,
            cast.users["ngo_admin"].pk,
            cast.objects["own_ngo"].pk,
            False,
            "Добавьте сёла Жалагашского района",
        ),
    ]
    assert citizen.answer == ""
    # The state body's people hear of each comment.
    recipients = set(
        Notification.objects.filter(topic="funding.topic.comment").values_list(
            "recipient__email", flat=True
        )
    )
    assert recipients == {"official@example.kz", "region-admin@example.kz"}


def test_an_empty_comment_is_refused(cast: Cast) -> None:
    topic = _in_consultation(cast)
    with pytest.raises(DomainError, match="Write a comment or support") as exc:
        services.topic_comment(actor=cast.users["citizen"], topic=topic, text="   ")
    assert exc.value.field == "text"


def test_comments_are_refused_after_the_window(cast: Cast) -> None:
    topic = _in_consultation(cast)
    # Time passes: the last day of the consultation was yesterday.
    Topic.objects.filter(pk=topic.pk).update(
        consultation_ends=timezone.localdate() - dt.timedelta(days=1)
    )
    topic.refresh_from_db()
    with pytest.raises(DomainError, match="consultation on this topic is closed"):
        services.topic_comment(actor=cast.users["citizen"], topic=topic, text="Поздно")


def test_the_body_answers_each_comment_and_the_author_hears_of_it(cast: Cast) -> None:
    topic = _in_consultation(cast)
    comment = services.topic_comment(actor=cast.users["citizen"], topic=topic, text="Вопрос")
    with pytest.raises(DomainError, match="Only the organiser"):
        services.topic_answer(actor=cast.users["other_regional_admin"], comment=comment, answer="x")
    with pytest.raises(DomainError, match="Write the answer"):
        services.topic_answer(actor=cast.users["regional_admin"], comment=comment, answer=" ")
    answered = services.topic_answer(
        actor=cast.users["regional_admin"], comment=comment, answer=" Учтём в лоте 2 "
    )
    assert (answered.answer, answered.answered_by) == (
        "Учтём в лоте 2",
        cast.users["regional_admin"],
    )
    assert answered.answered_at is not None
    note = Notification.objects.get(topic="funding.topic.answer")
    assert (note.recipient, note.body) == (cast.users["citizen"], "Учтём в лоте 2")


def test_approval_is_refused_while_a_comment_is_unanswered(cast: Cast) -> None:
    topic = _in_consultation(cast)
    services.topic_comment(actor=cast.users["citizen"], topic=topic, supports=True)
    comment = services.topic_comment(actor=cast.users["ngo_admin"], topic=topic, text="Вопрос")
    with pytest.raises(DomainError, match="Answer every comment"):
        services.topic_decide(actor=cast.users["official"], topic=topic, approve=True)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.CONSULTATION
    # A bare sign of support needs no answer.
    services.topic_answer(actor=cast.users["official"], comment=comment, answer="Да")
    topic = services.topic_decide(actor=cast.users["official"], topic=topic, approve=True)
    assert topic.status == TopicStatus.APPROVED
    assert list(topic.status_changes.values_list("to_status", flat=True)) == [
        "consultation",
        "approved",
    ]


def test_dropping_needs_a_reason_and_is_final(cast: Cast) -> None:
    topic = _in_consultation(cast)
    with pytest.raises(DomainError, match="Say why") as exc:
        services.topic_decide(actor=cast.users["official"], topic=topic, approve=False)
    assert exc.value.field == "reason"
    topic = services.topic_decide(
        actor=cast.users["official"], topic=topic, approve=False, reason="Нет средств"
    )
    assert topic.status == TopicStatus.DROPPED
    assert topic.status_changes.last().note == "Нет средств"  # type: ignore[union-attr]
    with pytest.raises(DomainError, match=r"^A topic cannot go from “Dropped” to “Approved”\.$"):
        services.topic_decide(actor=cast.users["official"], topic=topic, approve=True)


def test_a_draft_may_be_dropped_but_not_approved(cast: Cast) -> None:
    topic = _propose(cast)
    with pytest.raises(DomainError, match=r"^A topic cannot go from “Draft” to “Approved”\.$"):
        services.topic_decide(actor=cast.users["official"], topic=topic, approve=True)
    topic = services.topic_decide(
        actor=cast.users["official"], topic=topic, approve=False, reason="Дубль"
    )
    assert topic.status == TopicStatus.DROPPED


def test_an_approved_topic_becomes_a_lot_and_only_an_approved_one(cast: Cast) -> None:
    comp = f.competition(cast, lots=0)
    pending = _in_consultation(cast)
    with pytest.raises(DomainError, match="Only an approved topic") as exc:
        services.lot_add(
            actor=cast.users["official"],
            competition=comp,
            title_kk=pending.title_kk,
            title_ru=pending.title_ru,
            region=pending.region,
            area=pending.area,
            budget_ceiling=pending.budget_estimate,
            topic=pending,
        )
    assert exc.value.field == "topic"
    topic = services.topic_decide(actor=cast.users["official"], topic=pending, approve=True)
    lot = services.lot_add(
        actor=cast.users["official"],
        competition=comp,
        title_kk=topic.title_kk,
        title_ru=topic.title_ru,
        region=topic.region,
        area=topic.area,
        budget_ceiling=topic.budget_estimate,
        topic=topic,
    )
    assert (lot.number, lot.topic, lot.budget_ceiling) == (1, topic, 20_000_000)
    assert list(topic.lots.all()) == [lot]


# --- Pages ------------------------------------------------------------------------------------


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def test_the_official_proposes_through_the_page(cast: Cast) -> None:
    client = _client(cast, "official")
    response = client.post(
        "/en/funding/manage/topics/new/",
        {
            "year": 2031,
            "title_kk": "Еріктілер",
            "title_ru": "Волонтёры",
            "area": f.area().pk,
            "region": cast.objects["state_body"].region_id,
            "problem": "Проблема",
            "expected_results": "Результаты",
            "budget_estimate": 5_000_000,
            "indicators_text": "Волонтёры; чел.; 200\nАкции; шт.; 12",
        },
    )
    topic = Topic.objects.get()
    assert response["Location"] == f"/en/funding/topics/{topic.pk}/"
    assert (topic.owner, topic.year, topic.status) == (cast.objects["state_body"], 2031, "draft")
    assert topic.indicators == [
        {"name": "Волонтёры", "unit": "чел.", "target": "200"},
        {"name": "Акции", "unit": "шт.", "target": "12"},
    ]
    page = client.get("/en/funding/manage/").content.decode()
    assert f'href="/en/funding/topics/{topic.pk}/"' in page


def test_the_whole_consultation_through_the_pages(cast: Cast) -> None:
    topic = _propose(cast)
    official = _client(cast, "official")
    until = timezone.localdate() + dt.timedelta(days=7)
    official.post(
        f"/en/funding/manage/topics/{topic.pk}/step/",
        {"step": "consult", "until": until.isoformat()},
    )
    topic.refresh_from_db()
    assert (topic.status, topic.consultation_ends) == ("consultation", until)
    # Everyone reads it; a citizen comments, an NGO supports.
    assert Client().get(f"/en/funding/topics/{topic.pk}/").status_code == 200
    _client(cast, "citizen").post(
        f"/en/funding/topics/{topic.pk}/comment/", {"text": "Добавьте сёла"}
    )
    _client(cast, "ngo_member").post(f"/en/funding/topics/{topic.pk}/comment/", {"supports": "on"})
    comment = TopicComment.objects.get(text="Добавьте сёла")
    # Approval is refused while the comment waits for its answer; the page says why.
    response = official.post(
        f"/en/funding/manage/topics/{topic.pk}/step/", {"step": "approve"}, follow=True
    )
    assert "Answer every comment before approving the topic." in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "consultation"
    official.post(f"/en/funding/manage/comments/{comment.pk}/answer/", {"answer": "Учтём"})
    official.post(f"/en/funding/manage/topics/{topic.pk}/step/", {"step": "approve"})
    topic.refresh_from_db()
    assert topic.status == "approved"
    page = Client().get(f"/en/funding/topics/{topic.pk}/").content.decode()
    assert "Учтём" in page
    listed = Client().get("/en/funding/topics/").context["page_obj"]
    assert [(t, t.support_count, t.comment_count) for t in listed] == [(topic, 1, 1)]


def test_the_approved_topic_is_offered_as_a_lot_on_the_competition_page(cast: Cast) -> None:
    topic = services.topic_decide(
        actor=cast.users["official"], topic=_in_consultation(cast), approve=True
    )
    _dropped = services.topic_decide(
        actor=cast.users["official"], topic=_in_consultation(cast), approve=False, reason="x"
    )
    comp = f.competition(cast, lots=0)
    official = _client(cast, "official")
    form = official.get(f"/en/funding/manage/competitions/{comp.pk}/").context["lot_form"]
    assert list(form.fields["topic"].queryset) == [topic]
    official.post(
        f"/en/funding/manage/competitions/{comp.pk}/lots/",
        {
            "title_kk": topic.title_kk,
            "title_ru": topic.title_ru,
            "region": topic.region_id,
            "area": topic.area_id,
            "budget_ceiling": 15_000_000,
            "topic": topic.pk,
        },
    )
    assert list(comp.lots.values_list("topic", "budget_ceiling")) == [(topic.pk, 15_000_000)]


def test_a_draft_topic_is_hidden_from_everyone_but_its_body(cast: Cast) -> None:
    topic = _propose(cast)
    assert Client().get("/en/funding/topics/").context["page_obj"].object_list.count() == 0
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "draft topic",
                "GET",
                lambda c: f"/en/funding/topics/{topic.pk}/",
                BODY,
                refused=404,
                anonymous=404,
            ),
        ],
    )


def test_access_matrix_of_topic_planning(cast: Cast) -> None:
    draft = _propose(cast)
    topic = _in_consultation(cast)
    comment = services.topic_comment(actor=cast.users["citizen"], topic=topic, text="Вопрос")
    cast.objects.update({"topic": topic})
    assert_permission_matrix(
        cast,
        [
            PermRow("funding.propose_topic", None, STATE_ORGANISERS),
            PermRow("funding.manage_topic", "topic", BODY),
        ],
    )

    def back_to_consultation(c: Cast) -> None:
        Topic.objects.filter(pk=draft.pk).update(status=TopicStatus.DRAFT)

    assert_http_matrix(
        cast,
        [
            HttpRow("topic list", "GET", lambda c: "/en/funding/topics/", EVERYONE),
            HttpRow(
                "topic in consultation",
                "GET",
                lambda c: f"/en/funding/topics/{topic.pk}/",
                EVERYONE,
            ),
            HttpRow(
                "propose a topic",
                "GET",
                lambda c: "/en/funding/manage/topics/new/",
                STATE_ORGANISERS,
            ),
            HttpRow(
                "comment",
                "POST",
                lambda c: f"/en/funding/topics/{topic.pk}/comment/",
                SIGNED_IN,
                data=lambda c: {"supports": "on"},
                ok=302,
            ),
            HttpRow(
                "answer a comment",
                "POST",
                lambda c: f"/en/funding/manage/comments/{comment.pk}/answer/",
                BODY,
                data=lambda c: {"answer": "Ответ"},
                reset=lambda c: TopicComment.objects.filter(pk=comment.pk).update(answer=""),
                ok=302,
                done=lambda c, r: TopicComment.objects.get(pk=comment.pk).answer == "Ответ",
            ),
            HttpRow(
                "open the consultation",
                "POST",
                lambda c: f"/en/funding/manage/topics/{draft.pk}/step/",
                BODY,
                data=lambda c: {"step": "consult", "until": "2099-01-01"},
                reset=back_to_consultation,
                ok=302,
                done=lambda c, r: Topic.objects.get(pk=draft.pk).status == TopicStatus.CONSULTATION,
            ),
        ],
    )
    # Every signed-in person's support went in (the platform administrator's too).
    assert topic.comments.filter(supports=True).count() == len(SIGNED_IN)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_topic_list_query_count_does_not_grow(cast: Cast) -> None:
    client = Client()
    _in_consultation(cast)
    one = _count(client, "/en/funding/topics/")
    _in_consultation(cast)
    _in_consultation(cast)
    assert _count(client, "/en/funding/topics/") == one


def test_organiser_home_query_count_does_not_grow(cast: Cast) -> None:
    client = _client(cast, "official")
    _in_consultation(cast)
    f.announced(cast)
    one = _count(client, "/en/funding/manage/")
    _in_consultation(cast)
    _in_consultation(cast)
    f.announced(cast)
    f.announced(cast)
    assert _count(client, "/en/funding/manage/") == one


def test_topic_list_filters_by_year_and_region_and_ignores_bad_values(cast: Cast) -> None:
    topic = _in_consultation(cast)
    client = Client()

    def listed(query: str) -> list[int]:
        response = client.get("/en/funding/topics/" + query)
        assert response.status_code == 200
        return [t.pk for t in response.context["page_obj"]]

    assert listed(f"?year={topic.year}&region={topic.region_id}") == [topic.pk]
    assert listed(f"?year={topic.year + 1}") == []
    assert listed("?year=abc&region=x") == [topic.pk]  # typed into the address bar: ignored
