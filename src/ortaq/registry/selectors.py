"""Reads of the NGO registry: the public directory and its search, NGO pages, claim queues.

`ngo_directory_queryset(params)` is the one list behind the directory page, its CSV/XLSX
export, the API and any export of "exactly the filtered list" elsewhere: the same search,
filters (`filters.NgoFilter`) and sort, given the same query parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from ortaq.accounts.enums import OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.accounts.rules import is_platform_admin, regions_administered

from .enums import ClaimStatus, NgoStatus, ReportStatus, Verification
from .models import AnnualReport, NgoProfile, OwnershipClaim
from .search import levenshtein_at_most_one, query_stems, tokens

NAME_FIELDS = ("name_kk", "name_ru", "name_en")
# How many rows the typo fallback of SQLite compares in Python, at most.
FUZZY_CANDIDATES = 2000
# Words shorter than this must be typed right: one wrong letter in three is another word.
FUZZY_MIN_LENGTH = 4


def ngo_public_queryset() -> QuerySet[NgoProfile]:
    """Every NGO of the registry that anyone may see, with what a list row shows."""
    return (
        NgoProfile.objects.filter(organisation__is_active=True)
        .select_related("organisation", "organisation__region", "legal_form")
        .prefetch_related("activity_areas")
    )


# --- search ---------------------------------------------------------------------------------


def _is_postgres(queryset: QuerySet[Any]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def ngo_search(queryset: QuerySet[NgoProfile], text: str) -> QuerySet[NgoProfile]:
    """NGOs whose names, descriptions or activity areas match `text` in any word form.

    Every query word must match (as the prefix of a stem: see search.py). When nothing
    matches, names within a typo are looked for: on PostgreSQL first by trigram similarity,
    then, on any database, names with one wrong letter per word (`_typo_matches`). On
    PostgreSQL the rows carry a `rank`: the full-text rank (ts_rank) of the stems, or for
    typos the trigram similarity of the names (ranking every row by both costs too much at
    national scale: a common word matches thousands of NGOs).
    """
    terms = query_stems(text)
    if not terms:
        return queryset
    if _is_postgres(queryset):
        return _search_postgres(queryset, text, terms)
    found = queryset.filter(_stems_q(terms))
    if found.exists():
        return found
    return queryset.filter(pk__in=_typo_matches(queryset, text))


def _stems_q(terms: list[tuple[str, ...]]) -> Q:
    condition = Q()
    for alternatives in terms:
        either = Q()
        for stem in alternatives:
            either |= Q(search_text__contains=" " + stem)
        condition &= either
    return condition


# PostgreSQL keeps a stored tsvector of search_text (migration 0003, not a model field).
_TABLE = NgoProfile._meta.db_table
_PG_MATCH = f"SELECT id FROM {_TABLE} WHERE search_vector @@ to_tsquery('simple', %s)"
_PG_RANK = f"ts_rank({_TABLE}.search_vector, to_tsquery('simple', %s))"


def _search_postgres(
    queryset: QuerySet[NgoProfile], text: str, terms: list[tuple[str, ...]]
) -> QuerySet[NgoProfile]:
    # A prefix query per word, its alternative stems or-ed; stems are letters and digits
    # only (search.tokens), so quoting them is enough.
    query = " & ".join(
        "(" + " | ".join(f"'{stem}':*" for stem in alternatives) + ")" for alternatives in terms
    )
    found = queryset.filter(pk__in=RawSQL(_PG_MATCH, [query]))
    if found.exists():
        return found.annotate(rank=RawSQL(_PG_RANK, [query], output_field=FloatField()))
    # Nothing: names similar by trigrams (their GIN indexes), then one wrong letter per word.
    phrase = " ".join(tokens(text))
    similar = Q()
    for name in NAME_FIELDS:
        similar |= Q(TrigramWordSimilar(F(name), Value(phrase)))
    found = queryset.filter(organisation_id__in=Organisation.objects.filter(similar).values("pk"))
    if not found.exists():
        found = queryset.filter(pk__in=_typo_matches(queryset, text))
    # The closest names first.
    return found.annotate(
        rank=Greatest(
            *(TrigramWordSimilarity(phrase, f"organisation__{n}") for n in NAME_FIELDS),
            output_field=FloatField(),
        )
    )


def _typo_matches(queryset: QuerySet[NgoProfile], text: str) -> list[int]:
    """Ids of NGOs with, for every query word, a name word within one letter of it.

    A word with one wrong letter still has one half right, so rows containing either half of
    every query word are the candidates; at most FUZZY_CANDIDATES of them are compared.
    """
    words = list(dict.fromkeys(tokens(text)))
    if not words or any(len(word) < FUZZY_MIN_LENGTH for word in words):
        return []
    candidates = queryset
    for word in words:
        middle = len(word) // 2
        either = Q()
        for half in (word[:middle], word[middle:]):
            either |= Q(search_text__contains=half)
            for name in NAME_FIELDS:
                either |= Q(**{f"organisation__{name}__contains": half})
        candidates = candidates.filter(either)
    rows = candidates.order_by().values_list(
        "pk",
        *(f"organisation__{name}" for name in NAME_FIELDS),
        "short_name_kk",
        "short_name_ru",
        "short_name_en",
    )[:FUZZY_CANDIDATES]
    found = []
    for pk, *names in rows:
        name_words = set(tokens(" ".join(n for n in names if n)))
        if all(
            any(levenshtein_at_most_one(word, candidate) for candidate in name_words)
            for word in words
        ):
            found.append(pk)
    return found


# --- the directory --------------------------------------------------------------------------


def ngo_directory_queryset(params: Mapping[str, Any]) -> QuerySet[NgoProfile]:
    """The directory's list for these query parameters: search, filters and sort applied.

    `params` is what the page receives (request.GET, a QueryDict, or a plain dict of
    strings / lists of strings); unknown or invalid parameters are ignored.
    """
    from .filters import NgoFilter  # the FilterSet builds on this module's search

    return NgoFilter(data=params, queryset=ngo_public_queryset()).qs


def ngo_count() -> int:
    return NgoProfile.objects.filter(organisation__is_active=True).count()


# --- one NGO --------------------------------------------------------------------------------


def ngo_detail_queryset() -> QuerySet[NgoProfile]:
    return ngo_public_queryset().prefetch_related("umbrella_associations__ngo", "status_changes")


def ngo_get(*, pk: int) -> NgoProfile:
    return ngo_detail_queryset().get(pk=pk)


def ngo_get_by_bin(*, bin: str) -> NgoProfile:
    return ngo_detail_queryset().get(organisation__bin=bin)


def ngo_can_apply(ngo: NgoProfile) -> bool:
    """Only a verified, active NGO may apply for state grants and the social order."""
    return (
        ngo.verification == Verification.VERIFIED
        and ngo.status == NgoStatus.ACTIVE
        and ngo.organisation.is_active
    )


@dataclass(frozen=True)
class FiledReport:
    year: int
    status: str
    status_label: str
    submitted_late: bool


def ngo_reports_filed(ngo: NgoProfile) -> list[FiledReport]:
    """The yearly NGO-database reports the NGO has filed (drafts are not filed)."""
    rows = (
        AnnualReport.objects.filter(ngo=ngo)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-year")
        .values_list("year", "status", "submitted_late")
    )
    return [
        FiledReport(year, status, str(ReportStatus(status).label), late)
        for year, status, late in rows
    ]


def umbrella_candidates() -> QuerySet[Organisation]:
    """NGOs that other NGOs may belong to: associations of legal entities."""
    return Organisation.objects.filter(
        kind=OrganisationKind.NGO,
        is_active=True,
        ngo__legal_form__code="association_of_legal_entities",
    ).order_by("name_ru")


# --- ownership claims -----------------------------------------------------------------------


def _claims() -> QuerySet[OwnershipClaim]:
    return OwnershipClaim.objects.select_related(
        "user", "decided_by", "ngo", "ngo__organisation", "ngo__organisation__region"
    )


def claim_queue(*, user: Any) -> QuerySet[OwnershipClaim]:
    """Claims waiting for a decision in the regions `user` administers (all, for staff)."""
    claims = _claims().filter(status=ClaimStatus.PENDING).order_by("created_at", "id")
    if is_platform_admin(user):
        return claims
    regions = regions_administered(user)
    if not regions:
        return claims.none()
    return claims.filter(ngo__organisation__region_id__in=regions)


def claims_of(*, user: Any) -> QuerySet[OwnershipClaim]:
    """A person's own claims, newest first."""
    if not getattr(user, "is_authenticated", False):
        return OwnershipClaim.objects.none()
    return _claims().filter(user=user).order_by("-created_at", "-id")


def claim_get(*, pk: int) -> OwnershipClaim:
    return _claims().get(pk=pk)
