"""Documents made from a meeting: the protocol as PDF (WeasyPrint) and as an editable .docx
(python-docx), both from a frozen ProtocolVersion.content, and the invitation's .ics file.

The protocol exists in Kazakh and in Russian: labels come from the catalogue of the chosen
language, content from its `kk`/`ru` text with the other as fallback.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ortaq.core.i18n import FALLBACKS

from .enums import AgendaKind, MemberCategory, Position, VoteChoice, VoteMode
from .models import Meeting, ProtocolVersion

PROTOCOL_LANGUAGES = ("kk", "ru")


def _text(value: dict[str, str] | str, lang: str) -> str:
    if isinstance(value, str):
        return value
    for code in FALLBACKS[lang]:
        if value.get(code):
            return value[code]
    return ""


def protocol_context(version: ProtocolVersion, lang: str) -> dict[str, Any]:
    """The protocol's content in one language, ready for both templates (call it inside
    translation.override(lang))."""
    c = version.content
    positions = dict(Position.choices)
    categories = dict(MemberCategory.choices)
    kinds = dict(AgendaKind.choices)
    choices = dict(VoteChoice.choices)
    members = [
        {
            "full_name": m["full_name"],
            "organisation": _text(m["organisation"], lang),
            "position": str(positions.get(m["position"], m["position"])),
            "category": str(categories.get(m["category"], m["category"])),
            "present": m["present"],
        }
        for m in c["members"]
    ]
    items = []
    for item in c["items"]:
        items.append(
            {
                "order": item["order"],
                "topic": _text(item["topic"], lang),
                "speaker": item["speaker"],
                "kind": str(kinds.get(item["kind"], item["kind"])),
                "documents": item["documents"],
                "voted": item["vote_mode"] != VoteMode.NONE and item["for"] is not None,
                "for": item["for"],
                "against": item["against"],
                "abstained": item["abstained"],
                "votes": [
                    {"full_name": v["full_name"], "choice": str(choices.get(v["choice"], ""))}
                    for v in item["votes"]
                ],
                "decision": _text(item["decision"], lang),
                "recommendations": [
                    {
                        "addressee": _text(r["addressee"], lang),
                        "text": _text(r["text"], lang),
                        "due_on": r["due_on"],
                    }
                    for r in item["recommendations"]
                ],
            }
        )
    q = c["quorum"]
    quorum_text = (
        _("Quorum present: {attending} of {total} members attend; {needed} needed.")
        if q["present"]
        else _("No quorum: {attending} of {total} members attend; {needed} needed.")
    ).format(attending=q["attending"], total=q["total"], needed=q["needed"])
    return {
        "lang": lang,
        "council": _text(c["council"], lang),
        "host": _text(c["host"], lang),
        "meeting": c["meeting"],
        "number": version.number,
        "correction_note": version.correction_note,
        "published": version.is_published,
        "present": [m for m in members if m["present"]],
        "absent": [m for m in members if not m["present"]],
        "quorum_text": quorum_text,
        "items": items,
        "chair": c["chair"],
        "secretary": c["secretary"],
    }


def protocol_html(version: ProtocolVersion, lang: str) -> str:
    with translation.override(lang):
        return render_to_string("councils/protocol_pdf.html", protocol_context(version, lang))


def protocol_pdf(version: ProtocolVersion, lang: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=protocol_html(version, lang)).write_pdf()


def protocol_docx(version: ProtocolVersion, lang: str) -> bytes:
    """The same protocol as an editable Word document (what secretaries send on paper)."""
    from docx import Document
    from docx.shared import Pt

    with translation.override(lang):
        ctx = protocol_context(version, lang)
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(10)
        doc.add_heading(_("Protocol of the meeting"), level=1)
        doc.add_paragraph(ctx["council"])
        doc.add_paragraph(
            _("Date: {date}, {time}. Place: {place}").format(
                date=ctx["meeting"]["date"],
                time=ctx["meeting"]["time"],
                place=ctx["meeting"]["place"] or ctx["meeting"]["online_link"],
            )
        )
        if ctx["correction_note"]:
            doc.add_paragraph(
                _("Version {n}. Corrected: {note}").format(
                    n=ctx["number"], note=ctx["correction_note"]
                )
            )
        doc.add_heading(_("Present"), level=2)
        for m in ctx["present"]:
            doc.add_paragraph(
                f"{m['full_name']} — {m['position']}"
                + (f", {m['organisation']}" if m["organisation"] else ""),
                style="List Bullet",
            )
        if ctx["absent"]:
            doc.add_heading(_("Absent"), level=2)
            for m in ctx["absent"]:
                doc.add_paragraph(m["full_name"], style="List Bullet")
        doc.add_paragraph(ctx["quorum_text"])
        doc.add_heading(_("Agenda"), level=2)
        for item in ctx["items"]:
            doc.add_paragraph(f"{item['order']}. {item['topic']}", style="List Number")
        for item in ctx["items"]:
            doc.add_heading(f"{item['order']}. {item['topic']}", level=3)
            if item["speaker"]:
                doc.add_paragraph(_("Speaker: {name}").format(name=item["speaker"]))
            if item["voted"]:
                doc.add_paragraph(
                    _("Voted: for {f}, against {a}, abstained {ab}.").format(
                        f=item["for"], a=item["against"], ab=item["abstained"]
                    )
                )
            if item["decision"]:
                doc.add_paragraph(_("Decided:")).runs[0].bold = True
                doc.add_paragraph(item["decision"])
            for r in item["recommendations"]:
                doc.add_paragraph(
                    _("Recommendation to {body} (answer due {due}): {text}").format(
                        body=r["addressee"], due=r["due_on"], text=r["text"]
                    ),
                    style="List Bullet",
                )
        doc.add_paragraph("")
        doc.add_paragraph(_("Chair: {name}").format(name=ctx["chair"]) + " ____________")
        doc.add_paragraph(_("Secretary: {name}").format(name=ctx["secretary"]) + " ____________")
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """RFC 5545: lines of at most 75 octets, continued with a space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 74:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def meeting_ics(meeting: Meeting) -> str:
    """An iCalendar event (RFC 5545) for the meeting, in UTC."""
    start = meeting.starts_at.astimezone(dt.UTC)
    end = start + dt.timedelta(minutes=meeting.duration_minutes)
    stamp = timezone.now().astimezone(dt.UTC)
    fmt = "%Y%m%dT%H%M%SZ"
    agenda = "\n".join(f"{item.order}. {item.topic}" for item in meeting.items.all())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ortaq//Councils//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@ortaq",
        f"DTSTAMP:{stamp:{fmt}}",
        f"DTSTART:{start:{fmt}}",
        f"DTEND:{end:{fmt}}",
        f"SUMMARY:{_ics_escape(meeting.title or meeting.council.name)}",
        f"LOCATION:{_ics_escape(meeting.place or meeting.online_link)}",
        f"DESCRIPTION:{_ics_escape(agenda)}",
    ]
    if meeting.online_link:
        lines.append(f"URL:{meeting.online_link}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_ics_fold(line) for line in lines) + "\r\n"
