"""Every query parameter a page or the API reads survives hostile values: never a 500.

A value a filter does not understand is left out (pages) or answered with a 400 (API); the
walk covers each route × each parameter it reads × the values a fuzzer found breaking
something: letters for numbers, a negative id, a number too large for a 64-bit column, a NUL
byte (PostgreSQL refuses it in text), an infinite float and a very long string.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.access import Cast
from tests.funding import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "-1", "99999999999999999999", "\x00", "1e309", "x" * 5000, "²", "1\x00"]

NGO_FILTER = [
    "q", "region", "district", "area", "legal_form", "status", "settlement", "flag",
    "verification", "sort", "page",
]  # fmt: skip
PROJECT_FILTER = ["q", "region", "year", "kind", "area", "status", "ngo", "page"]
FUNDING_STATS = ["year", "region", "area", "body", "kind", "format"]
CONTRACT_FILTER = ["q", "status", "year", "region", "kind", "competition", "page"]
REPORT_FILTER = ["status", "kind", "late", "contract", "page"]
RISK_FILTER = ["kind", "status", "region", "year", "page"]
COUNCILS = ["region", "body", "kind", "level", "page"]
RECOMMENDATIONS = ["body", "council", "status", "overdue", "page"]

# (who, path, parameters it reads); "{competition}" is filled in with a real competition.
ROUTES: list[tuple[str, str, list[str]]] = [
    ("anonymous", "/en/", []),
    ("anonymous", "/en/ngos/", NGO_FILTER),
    ("anonymous", "/en/stats/ngos/", ["region", "year", "format"]),
    ("anonymous", "/en/councils/", [*COUNCILS, "export"]),
    ("anonymous", "/en/councils/calendar/", ["from", "region"]),
    ("anonymous", "/en/councils/recommendations/", [*RECOMMENDATIONS, "export"]),
    ("anonymous", "/en/councils/tracker/", ["region", "export"]),
    ("anonymous", "/en/funding/", ["year", "kind", "status", "region", "area", "page"]),
    ("anonymous", "/en/funding/topics/", ["year", "region", "page"]),
    ("anonymous", "/en/funding/projects/", [*PROJECT_FILTER, "export"]),
    ("anonymous", "/en/funding/projects/map/", PROJECT_FILTER),
    ("anonymous", "/en/stats/funding/", FUNDING_STATS),
    ("anonymous", "/api/v1/ngos/", NGO_FILTER),
    ("anonymous", "/api/v1/councils/", COUNCILS),
    ("anonymous", "/api/v1/compositions/", ["council", "page"]),
    ("anonymous", "/api/v1/council-meetings/", ["from", "region", "page"]),
    ("anonymous", "/api/v1/recommendations/", RECOMMENDATIONS),
    ("anonymous", "/api/v1/competitions/", ["page"]),
    ("anonymous", "/api/v1/results/", ["competition", "funded", "page"]),
    ("anonymous", "/api/v1/projects/", PROJECT_FILTER),
    ("anonymous", "/api/v1/projects/map/", PROJECT_FILTER),
    ("anonymous", "/api/v1/stats/funding/", FUNDING_STATS),
    ("platform_admin", "/en/audit/", ["action", "actor", "page"]),
    ("platform_admin", "/en/inbox/", ["page"]),
    ("platform_admin", "/en/ngos/reports/", ["page"]),
    ("platform_admin", "/en/ngos/reports/compliance/", ["region", "year", "state", "format"]),
    ("platform_admin", "/en/ngos/claims/queue/", ["page"]),
    ("citizen", "/en/ngos/claim/", ["bin"]),
    ("platform_admin", "/en/funding/manage/experts/", ["q", "area", "active", "page"]),
    ("official", "/en/funding/manage/competitions/{competition}/applications/", ["lot", "status"]),
    ("platform_admin", "/en/funding/manage/contracts/", [*CONTRACT_FILTER, "export"]),
    ("official", "/en/funding/monitoring/", ["region", "status", "page", "cpage"]),
    ("official", "/en/funding/manage/reports/", REPORT_FILTER),
    ("ngo_admin", "/en/funding/reports/", REPORT_FILTER),
    ("platform_admin", "/en/funding/manage/risks/", RISK_FILTER),
    ("platform_admin", "/api/v1/contracts/", CONTRACT_FILTER),
    ("platform_admin", "/api/v1/reports/", REPORT_FILTER),
    ("platform_admin", "/api/v1/risk-signals/", RISK_FILTER),
]


@pytest.mark.parametrize(("who", "path", "names"), ROUTES, ids=[r[1] for r in ROUTES])
def test_hostile_query_parameters_never_cause_a_server_error(
    cast: Cast, who: str, path: str, names: list[str]
) -> None:
    if "{competition}" in path:
        path = path.format(competition=f.announced(cast).pk)
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(cast.users[who])
    assert client.get(path).status_code == 200
    errors = []
    for name in [*names, "unknown"]:
        for value in HOSTILE:
            status = client.get(path, {name: value}).status_code
            if status >= 500 or status not in (200, 400, 404):
                errors.append(f"?{name}={value[:25]!r}: {status}")
    assert not errors, "\n".join(errors)


def test_a_nul_byte_in_the_address_is_a_400_in_the_users_language() -> None:
    response = Client().get("/ru/ngos/", {"q": "a\x00b"})
    assert (response.status_code, response.content.decode()) == (
        400,
        "Адрес содержит недопустимый символ (NUL).",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("²", None),
        ("1e3", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
        ("99999999999999999999", None),
        (None, None),
    ],
)
def test_int_param_accepts_only_ids_that_fit_a_bigint_column(
    raw: str | None, expected: int | None
) -> None:
    from ortaq.core.params import int_param

    assert int_param({} if raw is None else {"id": raw}, "id") == expected


def test_text_param_ignores_nul_bytes_and_overlong_values() -> None:
    from ortaq.core.params import text_param

    params = {"a": " word ", "b": "x\x00", "c": "x" * 201}
    assert [text_param(params, name) for name in "abcd"] == ["word", "", "", ""]
