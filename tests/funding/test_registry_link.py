"""The registry's NGO page shows the published awards of the NGO."""

from __future__ import annotations

import pytest
from django.test import Client

from ortaq.funding.competitions import services
from ortaq.funding.competitions.selectors import funding_received_by
from tests.access import Cast

from .test_services import _score_all, _through_draw

pytestmark = pytest.mark.django_db


def test_ngo_page_shows_published_awards_only(cast: Cast) -> None:
    comp, apps = _through_draw(
        cast, n=3, ceiling=6_000_000, amounts=(5_000_000, 3_000_000, 1_000_000)
    )
    for app, value in zip(apps, (5, 4, 3), strict=True):
        _score_all(app, [value] * 5)
    decision = services.decision_compute(actor=cast.users["official"], competition=comp)
    funded_org = apps[0].ngo.organisation
    assert funding_received_by(funded_org.pk) == []  # not published yet
    services.decision_confirm(actor=cast.users["official"], decision=decision)
    services.decision_publish(actor=cast.users["regional_admin"], decision=decision)

    received = funding_received_by(funded_org.pk)
    assert [(r.competition_id, r.amount) for r in received] == [(comp.pk, 5_000_000)]
    html = Client().get(f"/en/ngos/{apps[0].ngo.pk}/").content.decode()
    assert f'href="/en/funding/competitions/{comp.pk}/results/"' in html
    assert "5\u00a0000\u00a0000\u00a0₸" in html
    unfunded = Client().get(f"/en/ngos/{apps[1].ngo.pk}/").content.decode()
    assert "No published awards" in unfunded
