"""NGO files: the columns, reading and writing CSV / XLSX, and checking every row.

Pure logic, no database: the reference codes come in a `References`, and the writes are done
by `report_services.ngos_import`. One column per profile field; the BIN has its own column;
activity areas are codes separated by ";"; flags are 0 or 1.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from ortaq.lib.identifiers import is_valid_bin
from ortaq.lib.spreadsheets import safe_row, unsafe_cell

from .enums import NgoStatus, Settlement
from .models import NgoProfile

COLUMNS: tuple[str, ...] = (
    "bin",
    "legal_form",
    "name_kk",
    "name_ru",
    "name_en",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "region",
    "district",
    "district_kato",
    "settlement",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "registration_year",
    "status",
    "activity_areas",
    "is_childrens",
    "is_youth",
    "is_disability",
    "is_ethnocultural",
    "is_volunteer",
    "description_ru",
    "description_kk",
)
FLAGS: tuple[str, ...] = (
    "is_childrens",
    "is_youth",
    "is_disability",
    "is_ethnocultural",
    "is_volunteer",
)
TEXT_FIELDS: tuple[str, ...] = (
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "district",
    "district_kato",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "description_ru",
    "description_kk",
)
# Model attributes a row sets: on the Organisation, and on the NgoProfile.
ORGANISATION_FIELDS: tuple[str, ...] = ("name_kk", "name_ru", "name_en", "region_id")
PROFILE_FIELDS: tuple[str, ...] = (
    "legal_form_id",
    *TEXT_FIELDS,
    "settlement",
    "registration_year",
    "status",
    *FLAGS,
)
_NAME_LIMIT = 300


class FileProblem(Exception):
    """The file cannot be read at all (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class RowError:
    line: int  # as a spreadsheet shows it: the header is line 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("row {line}").format(line=self.line) if self.line else _("file")
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class References:
    regions: dict[str, int]  # code → id
    legal_forms: dict[str, int]
    areas: dict[str, int]
    allowed_regions: frozenset[str] | None = None  # None: every region
    current_year: int = 2100


@dataclass
class CleanRow:
    line: int
    bin: str
    organisation: dict[str, Any] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    areas: set[int] = field(default_factory=set)


def _max_length(name: str) -> int:
    return int(getattr(NgoProfile._meta.get_field(name), "max_length", None) or 100_000)


_LIMITS = {name: _max_length(name) for name in TEXT_FIELDS if not name.startswith("description")}
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def validate_rows(
    rows: Iterable[dict[str, str]], refs: References
) -> tuple[list[CleanRow], list[RowError]]:
    """Every problem of every row (not just the first), and the clean rows."""
    clean: list[CleanRow] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for index, raw in enumerate(rows):
        line = index + 2
        row = {key: (raw.get(key) or "").strip() for key in COLUMNS}
        problems: list[RowError] = []

        def problem(column: str, message: str, line: int = line, out: list = problems) -> None:
            out.append(RowError(line, column, message))

        bin_ = row["bin"]
        if not is_valid_bin(bin_):
            problem(
                "bin",
                _("“{value}” is not a valid BIN (12 digits, check digit).").format(value=bin_),
            )
        elif bin_ in first_line:
            problem(
                "bin",
                _("BIN {value} is already in row {line} of this file.").format(
                    value=bin_, line=first_line[bin_]
                ),
            )
        else:
            first_line[bin_] = line
        region_id = refs.regions.get(row["region"])
        if region_id is None:
            problem("region", _("Unknown region code “{value}”.").format(value=row["region"]))
        elif refs.allowed_regions is not None and row["region"] not in refs.allowed_regions:
            problem("region", _("You may import NGOs of your own region only."))
        legal_form_id = refs.legal_forms.get(row["legal_form"])
        if legal_form_id is None:
            problem(
                "legal_form", _("Unknown legal form “{value}”.").format(value=row["legal_form"])
            )
        for name in ("name_kk", "name_ru"):
            if not row[name]:
                problem(name, _("The name is required in Kazakh and in Russian."))
        for name in ("name_kk", "name_ru", "name_en"):
            if len(row[name]) > _NAME_LIMIT:
                problem(name, _("At most {n} characters.").format(n=_NAME_LIMIT))
        for name, limit in _LIMITS.items():
            if len(row[name]) > limit:
                problem(name, _("At most {n} characters.").format(n=limit))
        status = row["status"] or NgoStatus.ACTIVE
        if status not in NgoStatus.values:
            problem("status", _("Unknown status “{value}”.").format(value=row["status"]))
        settlement = row["settlement"] or Settlement.URBAN
        if settlement not in Settlement.values:
            problem("settlement", _("Write urban or rural."))
        year: int | None = None
        with contextlib.suppress(ValueError):
            year = int(row["registration_year"])
        if year is None or not 1900 <= year <= refs.current_year:
            problem(
                "registration_year",
                _("The year of registration must be a year from 1900 to {year}.").format(
                    year=refs.current_year
                ),
            )
        kato = row["district_kato"]
        if kato and not (len(kato) == 9 and kato.isdigit()):
            problem("district_kato", _("A KATO code has 9 digits."))
        if row["email"]:
            try:
                _email(row["email"])
            except ValidationError:
                problem("email", _("Not a valid e-mail address."))
        if row["website"]:
            try:
                _url(row["website"])
            except ValidationError:
                problem("website", _("Not a valid web address (http:// or https://)."))
        flags: dict[str, bool] = {}
        for name in FLAGS:
            if row[name] not in ("", "0", "1"):
                problem(name, _("Write 0 or 1."))
            flags[name] = row[name] == "1"
        areas: set[int] = set()
        for code in filter(None, (part.strip() for part in row["activity_areas"].split(";"))):
            area = refs.areas.get(code)
            if area is None:
                problem("activity_areas", _("Unknown activity area “{value}”.").format(value=code))
            else:
                areas.add(area)
        if problems:
            errors.extend(problems)
            continue
        clean.append(
            CleanRow(
                line=line,
                bin=bin_,
                organisation={
                    "name_kk": row["name_kk"],
                    "name_ru": row["name_ru"],
                    "name_en": row["name_en"],
                    "region_id": region_id,
                },
                profile={
                    "legal_form_id": legal_form_id,
                    **{name: row[name] for name in TEXT_FIELDS},
                    "settlement": settlement,
                    "registration_year": year,
                    "status": status,
                    **flags,
                },
                areas=areas,
            )
        )
    return clean, errors


def set_values(obj: Any, values: dict[str, Any]) -> bool:
    """Set the attributes; True if any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# --- Files -----------------------------------------------------------------------------------


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        raise FileProblem(_("Use a .csv or .xlsx file."))
    return suffix


def read_table(handle: IO[bytes], name: str) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts of text."""
    fmt = file_format(name)
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
            delimiter = ";" if sample.count(";") > sample.count(",") else ","
            reader = csv.reader(text, delimiter=delimiter)
            table = list(reader)
        except UnicodeDecodeError as exc:
            raise FileProblem(_("The CSV file must be in UTF-8.")) from exc
        finally:
            text.detach()
    else:
        from openpyxl import load_workbook

        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:
            raise FileProblem(_("This is not an XLSX file that can be read.")) from exc
        sheet = book.worksheets[0]
        table = [
            ["" if v is None else _cell(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
    if not table:
        raise FileProblem(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in ("bin", "name_kk", "name_ru", "region") if column not in header]
    if missing:
        raise FileProblem(
            _("Columns missing from the first row: {columns}.").format(columns=", ".join(missing))
        )
    rows = []
    for values in table[1:]:
        if not any(str(v).strip() for v in values):
            continue
        # Undo export's protection against formulas (safe_cell), so a file round-trips.
        rows.append(
            {key: unsafe_cell(str(value)) for key, value in zip(header, values, strict=False)}
        )
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_table(rows: Iterable[dict[str, Any]], handle: IO[bytes], fmt: str) -> int:
    """Write rows with the COLUMNS header; returns the number of rows."""
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(safe_row(row.get(column, "") for column in COLUMNS))
            count += 1
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("NGOs")
    sheet.append(list(COLUMNS))
    for row in rows:
        # Text cells keep leading zeros of BINs and KATO codes.
        sheet.append(safe_row(str(row.get(column, "")) for column in COLUMNS))
        count += 1
    book.save(handle)
    return count


def profile_row(
    profile: NgoProfile, region_code: str, legal_form_code: str, areas: list[str]
) -> dict[str, str]:
    """One export row of an NGO."""
    org = profile.organisation
    return {
        "bin": org.bin,
        "legal_form": legal_form_code,
        "name_kk": org.name_kk,
        "name_ru": org.name_ru,
        "name_en": org.name_en,
        **{name: getattr(profile, name) for name in TEXT_FIELDS},
        "region": region_code,
        "settlement": profile.settlement,
        "registration_year": str(profile.registration_year),
        "status": profile.status,
        "activity_areas": ";".join(sorted(areas)),
        **{name: "1" if getattr(profile, name) else "0" for name in FLAGS},
    }


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
