"""Walking the hash chains of the audit log (`ortaq audit_verify`, audit/chain.py).

Each stream is read in the order of its sequence numbers. An entry whose content no longer
gives its hash was **changed**, unless its hash is right for another place in the chain: then it
was **reordered** (moved there from the sequence number it was written with). A gap in the
sequence numbers, or a stream whose head counts more entries than it has, means entries were
**deleted**. An entry that is intact but does not link to the one before it means the one before
was rewritten together with its hash. Entries written before the chain started have no stream
and are counted as unchained; an unchained entry written after the chain started is a problem.

What this cannot find: someone who rewrites a whole stream from some entry to its end, hashes
and head included. Publishing the heads elsewhere from time to time would catch that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .chain import entry_hash
from .models import AuditEntry, AuditStream

CHANGED = "changed"
DELETED = "deleted"
REORDERED = "reordered"

# How far back `_written_sequence` follows links through other moved entries.
_MAX_LINKS = 50


@dataclass(frozen=True)
class Problem:
    stream: str
    sequence: int | None
    entry_id: int | None
    kind: str
    detail: str

    def __str__(self) -> str:
        where = f"stream {self.stream or '(none)'}, sequence {self.sequence}, entry {self.entry_id}"
        return f"{where}: {self.kind}: {self.detail}"


@dataclass
class Report:
    entries: dict[str, int] = field(default_factory=dict)
    unchained: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _chained(stream: str) -> object:
    return (
        AuditEntry.objects.filter(stream=stream, sequence__isnull=False)
        .select_related("content_type")
        .order_by("sequence", "id")
    )


def _written_sequence(entry: AuditEntry, links: int = 0) -> int | None:
    """The sequence number the entry's hash was computed with, found from the entry it links
    to; None when no place in the chain gives its hash (its content was changed)."""
    if not entry.previous_hash:
        candidate = 1
    else:
        before = (
            AuditEntry.objects.filter(stream=entry.stream, entry_hash=entry.previous_hash)
            .select_related("content_type")
            .first()
        )
        if before is None or before.sequence is None:
            return None
        if entry_hash(before) == before.entry_hash:
            candidate = before.sequence + 1
        elif links < _MAX_LINKS:
            written = _written_sequence(before, links + 1)
            if written is None:
                return None
            candidate = written + 1
        else:
            return None
    return candidate if entry_hash(entry, sequence=candidate) == entry.entry_hash else None


def verify_stream(name: str, head: AuditStream | None) -> tuple[int, list[Problem]]:
    problems: list[Problem] = []
    count = 0
    previous: AuditEntry | None = None
    previous_named = False  # the entry before is named already: its link is no news
    for entry in _chained(name).iterator(chunk_size=2000):  # type: ignore[attr-defined]
        count += 1
        sequence = entry.sequence
        expected = previous.sequence + 1 if previous and previous.sequence else 1

        named = len(problems)

        def problem(kind: str, detail: str, at: AuditEntry = entry) -> None:
            problems.append(Problem(name, at.sequence, at.pk, kind, detail))

        if entry_hash(entry) != entry.entry_hash:
            written = _written_sequence(entry)
            if written is not None and written != sequence:
                problem(REORDERED, f"it was written as sequence {written}")
            else:
                problem(CHANGED, "its content does not match its hash")
        elif sequence > expected:
            missing = str(expected) if sequence == expected + 1 else f"{expected}-{sequence - 1}"
            problem(DELETED, f"sequence {missing} missing before this entry")
        elif previous is not None and sequence < expected:
            problem(REORDERED, "its sequence number is repeated")
        elif previous is None and entry.previous_hash:
            problem(DELETED, "it links to an entry that is not in the stream")
        elif (
            previous is not None
            and not previous_named
            and entry.previous_hash != previous.entry_hash
        ):
            problem(
                CHANGED,
                "its hash was rewritten: the next entry does not link to it",
                at=previous,
            )
        elif previous is not None and entry.pk < previous.pk:
            problem(REORDERED, "it was written before the entry it follows")
        previous, previous_named = entry, len(problems) > named

    if head is None:
        if previous is not None:
            problems.append(Problem(name, None, None, DELETED, "the stream's head is missing"))
    elif previous is None:
        if head.last_sequence:
            problems.append(
                Problem(name, 1, None, DELETED, f"sequence 1-{head.last_sequence} missing")
            )
    elif head.last_sequence > (previous.sequence or 0):
        first = (previous.sequence or 0) + 1
        missing = str(first) if first == head.last_sequence else f"{first}-{head.last_sequence}"
        problems.append(
            Problem(name, first, None, DELETED, f"sequence {missing} missing at the end")
        )
    elif head.last_hash != previous.entry_hash:
        problems.append(
            Problem(
                name,
                previous.sequence,
                previous.pk,
                CHANGED,
                "the last entry does not match the stream's head",
            )
        )
    return count, problems


def verify() -> Report:
    report = Report()
    heads = {head.name: head for head in AuditStream.objects.all()}
    names = set(heads) | set(
        AuditEntry.objects.filter(sequence__isnull=False)
        .order_by()
        .values_list("stream", flat=True)
        .distinct()
    )
    for name in sorted(names):
        count, problems = verify_stream(name, heads.get(name))
        report.entries[name] = count
        report.problems.extend(problems)

    unchained = AuditEntry.objects.filter(sequence__isnull=True)
    report.unchained = unchained.count()
    first_chained = (
        AuditEntry.objects.filter(sequence__isnull=False).order_by("id").values("id").first()
    )
    if first_chained is not None:
        for entry_id, stream in (
            unchained.filter(id__gt=first_chained["id"]).order_by("id").values_list("id", "stream")
        ):
            report.problems.append(
                Problem(
                    stream,
                    None,
                    entry_id,
                    CHANGED,
                    "it has no place in a chain but was written after the chain started",
                )
            )
    return report
