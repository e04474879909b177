"""A comment on a topic sent twice (a double click, a resent form, 40 parallel requests) is
recorded once: the same author's identical comment within a few minutes is the same comment."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from ortaq.audit.models import AuditEntry
from ortaq.funding.competitions import services
from ortaq.funding.models import Topic, TopicComment
from ortaq.notifications.models import Notification
from tests.access import Cast

from .test_topics import _in_consultation


def _comment(cast: Cast, topic: Topic, text: str = "Нужны кружки в сёлах") -> TopicComment:
    return services.topic_comment(actor=cast.users["citizen"], topic=topic, text=text)


@pytest.mark.django_db
def test_an_identical_comment_sent_twice_is_recorded_once(cast: Cast) -> None:
    topic = _in_consultation(cast)
    first = _comment(cast, topic)
    notified = Notification.objects.count()
    again = _comment(cast, topic, text="  Нужны кружки в сёлах ")
    assert again == first
    assert list(TopicComment.objects.filter(topic=topic)) == [first]
    assert AuditEntry.objects.filter(action="funding.topic.comment").count() == 1
    assert Notification.objects.count() == notified


@pytest.mark.django_db
def test_another_text_another_author_or_a_later_repeat_is_a_new_comment(cast: Cast) -> None:
    topic = _in_consultation(cast)
    first = _comment(cast, topic)
    other_text = _comment(cast, topic, text="И спортивные секции")
    other_author = services.topic_comment(
        actor=cast.users["ngo_admin"], topic=topic, text="Нужны кружки в сёлах"
    )
    TopicComment.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - services.TOPIC_COMMENT_REPEAT_WINDOW - dt.timedelta(seconds=1)
    )
    later = _comment(cast, topic)
    assert len({first.pk, other_text.pk, other_author.pk, later.pk}) == 4
    assert TopicComment.objects.filter(topic=topic).count() == 4


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_identical_comments_are_recorded_once(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race exists only on PostgreSQL")
    topic = _in_consultation(cast)
    url = f"/en/funding/topics/{topic.pk}/comment/"
    start = threading.Barrier(40)
    statuses: list[int] = []

    def post() -> None:
        try:
            client = Client()
            client.force_login(cast.users["citizen"])
            start.wait()
            response: Any = client.post(url, {"text": "Нужны кружки в сёлах"})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [302] * 40
    assert TopicComment.objects.filter(topic=topic).count() == 1
