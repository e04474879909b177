"""The Atom feed of new competitions and the iCalendar file of deadlines (public)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Competition
from .selectors import competitions_public


class CompetitionFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Ortaq: new funding competitions")
    subtitle = gettext_lazy("Competitions of the state social order, grants and awards.")

    def link(self) -> str:
        return reverse("funding:competition_list")

    def items(self) -> list[Competition]:
        return list(competitions_public()[:50])

    def item_title(self, item: Competition) -> str:
        return item.title

    def item_description(self, item: Competition) -> str:
        deadline = (
            timezone.localtime(item.application_deadline) if item.application_deadline else None
        )
        text = item.description
        if deadline:
            text += "\n" + _("Applications until {date}").format(
                date=deadline.strftime("%d.%m.%Y %H:%M")
            )
        return text

    def item_link(self, item: Competition) -> str:
        return reverse("funding:competition_detail", args=[item.pk])

    def item_pubdate(self, item: Competition) -> dt.datetime | None:
        return item.announced_at

    def item_author_name(self, item: Competition) -> str:
        return item.organiser.name


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets are folded."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    chunk = b""
    for char in line:
        encoded = char.encode()
        if len(chunk) + len(encoded) > (75 if not parts else 74):
            parts.append(chunk.decode())
            chunk = b""
        chunk += encoded
    parts.append(chunk.decode())
    return "\r\n ".join(parts)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def deadlines_ical(request: HttpRequest) -> HttpResponse:
    """Application deadlines of the open and recent competitions as an iCalendar file."""
    now = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ortaq//Funding deadlines//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _escape(_("Ortaq: application deadlines")),
    ]
    host = request.get_host().split(":")[0]
    for competition in competitions_public().filter(application_deadline__isnull=False)[:200]:
        deadline = competition.application_deadline
        assert deadline is not None
        url = request.build_absolute_uri(
            reverse("funding:competition_detail", args=[competition.pk])
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:competition-{competition.pk}-deadline@{host}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(deadline - dt.timedelta(hours=1))}",
            f"DTEND:{_stamp(deadline)}",
            "SUMMARY:" + _escape(_("Deadline: {title}").format(title=competition.title)),
            "URL:" + url,
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    body = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ortaq-deadlines.ics"'
    return response
