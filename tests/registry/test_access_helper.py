"""tests/access.py itself: what the matrix used to let pass and must not (each of these rows
passed with the earlier helper, which counted any 401/403/404/405 as a refusal, any other
answer as allowed, and asked `user.has_perm`, which lets a superuser through)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ortaq.registry.enums import ClaimStatus
from ortaq.registry.models import OwnershipClaim
from tests.access import (
    EVERYONE,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)

pytestmark = pytest.mark.django_db


def test_a_404_is_not_a_refusal_unless_the_row_says_so(cast: Cast) -> None:
    missing = HttpRow("missing", "GET", lambda c: "/en/councils/999999/", frozenset())
    with pytest.raises(AssertionError, match=r"as citizen: expected refused \(403\), got 404"):
        assert_http_matrix(cast, [missing])
    said = HttpRow(
        "missing", "GET", lambda c: "/en/councils/999999/", frozenset(), refused=404, anonymous=404
    )
    assert_http_matrix(cast, [said])


def test_the_rule_is_asked_not_the_superuser_shortcut(cast: Cast) -> None:
    row = PermRow("funding.propose_topic", None, frozenset({"official", "platform_admin"}))
    with pytest.raises(AssertionError, match="as platform_admin: expected allowed, got refused"):
        assert_permission_matrix(cast, [row])


def test_an_unknown_permission_is_an_error_not_a_refusal(cast: Cast) -> None:
    with pytest.raises(AssertionError, match=r"no rule is registered as 'funding\.no_such'"):
        assert_permission_matrix(cast, [PermRow("funding.no_such", None, frozenset())])


def test_a_post_answering_200_must_say_what_success_is(cast: Cast) -> None:
    row = HttpRow("vague", "POST", lambda c: "/en/", EVERYONE)
    with pytest.raises(AssertionError, match="the row must say what success looks like"):
        assert_http_matrix(cast, [row])


def test_a_redirect_with_an_error_message_is_not_allowed(ngo_cast: Cast) -> None:
    claim = ngo_cast.objects["own_claim"]
    # The citizen's own claim, already withdrawn: the page lets him in and says no.
    OwnershipClaim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.WITHDRAWN, user=ngo_cast.users["citizen"]
    )
    row = HttpRow(
        "withdraw a withdrawn claim",
        "POST",
        lambda c: reverse("registry:claim_withdraw", args=[claim.pk]),
        frozenset({"citizen"}),
        ok=302,
    )
    expected = r"as citizen: expected allowed, got 302 .* with the error"
    with pytest.raises(AssertionError, match=expected):
        assert_http_matrix(ngo_cast, [row])
