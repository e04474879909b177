"""Who may host which kind of council (DOMAIN.md §6), and the take-over it prevents: an NGO
administrator making his NGO the host of a "public council", seating himself as its chair and
monitoring a rival NGO's project as a public-council member."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, InternalError, transaction
from django.test import Client
from django.utils import translation

from ortaq.accounts.enums import OrganisationKind, Role
from ortaq.accounts.models import Organisation
from ortaq.core.errors import DomainError
from ortaq.councils import services
from ortaq.councils.enums import CompositionStatus, CouncilKind, MemberCategory, Position
from ortaq.councils.models import Composition, Council
from ortaq.funding.enums import MonitorKind
from ortaq.funding.monitoring import services as monitoring
from ortaq.funding.rules import monitor_kinds
from tests.access import Cast
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.funding import factories as f

from .conftest import make_composition

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)
ALLOWED = {
    (CouncilKind.PUBLIC, OrganisationKind.STATE_BODY),
    (CouncilKind.COORDINATION, OrganisationKind.STATE_BODY),
    (CouncilKind.COORDINATION, OrganisationKind.NGO),
    (CouncilKind.OTHER, OrganisationKind.STATE_BODY),
    (CouncilKind.OTHER, OrganisationKind.NGO),
    (CouncilKind.OTHER, OrganisationKind.GRANT_OPERATOR),
}
EVERY_PAIR = [(c, h) for c in CouncilKind.values for h in OrganisationKind.values]


def _host(kind: str) -> Organisation:
    return OrganisationFactory(kind=kind)


@pytest.mark.parametrize(("council_kind", "host_kind"), EVERY_PAIR)
def test_the_service_creates_a_council_only_at_a_host_allowed_for_its_kind(
    council_kind: str, host_kind: str
) -> None:
    host = _host(host_kind)

    def create() -> Council:
        return services.council_create(
            actor=None, organisation=host, kind=council_kind, name_kk="Кеңес", name_ru="Совет"
        )

    if (council_kind, host_kind) in ALLOWED:
        assert create().organisation == host
        return
    allowed = ", ".join(
        str(OrganisationKind(h).label).lower()
        for h in OrganisationKind.values
        if (council_kind, h) in ALLOWED
    )
    with pytest.raises(DomainError) as refused:
        create()
    assert refused.value.field == "organisation"
    assert str(refused.value.message) == (
        f"A council of the kind “{CouncilKind(council_kind).label}” cannot be attached to "
        f"“{host.name}” ({OrganisationKind(host_kind).label}). Allowed hosts: {allowed}."
    )
    assert not Council.objects.exists()


@pytest.mark.parametrize(("council_kind", "host_kind"), EVERY_PAIR)
def test_the_database_refuses_a_council_at_a_host_not_allowed_for_its_kind(
    council_kind: str, host_kind: str
) -> None:
    host = _host(host_kind)

    def insert() -> Council:
        with transaction.atomic():
            return Council.objects.create(
                kind=council_kind,
                organisation=host,
                level=host.level,
                name_kk="Кеңес",
                name_ru="Совет",
            )

    if (council_kind, host_kind) in ALLOWED:
        assert insert().pk
        return
    with pytest.raises(REFUSED):
        insert()
    assert not Council.objects.exists()


def test_the_database_refuses_to_move_a_council_to_a_host_not_allowed_for_it() -> None:
    body, ngo = _host(OrganisationKind.STATE_BODY), _host(OrganisationKind.NGO)
    council = services.council_create(
        actor=None, organisation=body, kind=CouncilKind.PUBLIC, name_kk="К", name_ru="С"
    )
    with pytest.raises(REFUSED), transaction.atomic():
        Council.objects.filter(pk=council.pk).update(organisation=ngo)
    coordination = services.council_create(
        actor=None, organisation=ngo, kind=CouncilKind.COORDINATION, name_kk="К", name_ru="С"
    )
    with pytest.raises(REFUSED), transaction.atomic():
        Council.objects.filter(pk=coordination.pk).update(kind=CouncilKind.PUBLIC)
    assert Council.objects.get(pk=council.pk).organisation == body


def legacy_council(host: Organisation, kind: str = CouncilKind.PUBLIC) -> Council:
    """A council written before the rule existed (the database refuses it now): made while
    the host passed for a state body, which it is not."""
    real = host.kind
    Organisation.objects.filter(pk=host.pk).update(kind=OrganisationKind.STATE_BODY)
    council = Council.objects.create(
        kind=kind,
        organisation=host,
        level=host.level,
        region=host.region,
        name_kk="Қоғамдық кеңес",
        name_ru="Общественный совет",
        min_members=10,
        max_members=15,
    )
    Organisation.objects.filter(pk=host.pk).update(kind=real)
    host.refresh_from_db()
    return Council.objects.select_related("organisation").get(pk=council.pk)


def _rival(cast: Cast) -> tuple[Any, Organisation]:
    """The administrator of an NGO of the project's region, not the project's NGO."""
    ngo = OrganisationFactory(region=cast.objects["own_ngo"].region, name_en="Rival NGO")
    admin = MembershipFactory(
        user=UserFactory(email="rival@example.kz"), organisation=ngo, role=Role.ADMIN
    ).user
    return admin, ngo


def _council_form(kind: str, organisation: Organisation) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "kind": kind,
        "name_kk": "Қоғамдық кеңес",
        "name_ru": "Общественный совет",
        "name_en": "Public council",
        "description": "",
        "min_members": 10,
        "max_members": 15,
        "civil_share_num": 2,
        "civil_share_den": 3,
        "one_per_organisation": "on",
        "term_years": 3,
        "renewal_months": 2,
        "quorum_num": 1,
        "quorum_den": 2,
        "quorum_strict": "on",
        "answer_days": 10,
    }


def test_an_ngo_administrator_cannot_make_his_ngo_the_host_of_a_public_council(
    cast: Cast,
) -> None:
    attacker, ngo = _rival(cast)
    client = Client()
    client.force_login(attacker)
    response = client.post("/ru/councils/new/", _council_form(CouncilKind.PUBLIC, ngo))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Совет вида «Общественный совет» не может быть создан при «"
        f"{ngo.name_ru}» (Неправительственная организация). Допустимо: государственный орган."
        in page
    )
    assert 'value="Общественный совет"' in page  # what he typed is kept
    assert not Council.objects.exists()
    # His NGO may host a coordination council (an NGO alliance's), and only that.
    response = client.post("/en/councils/new/", _council_form(CouncilKind.COORDINATION, ngo))
    council = Council.objects.get()
    assert response.status_code == 302
    assert (council.kind, council.organisation) == (CouncilKind.COORDINATION, ngo)


def test_a_composition_formed_at_an_ngo_hosted_public_council_cannot_be_approved(
    cast: Cast,
) -> None:
    attacker, ngo = _rival(cast)
    council = legacy_council(ngo)
    client = Client()
    client.force_login(attacker)
    assert client.get(f"/en/councils/{council.pk}/compositions/new/").status_code == 403
    # Twelve invented members in a draft formed before the rule: it breaks no composition rule.
    draft = make_composition(
        council,
        status=CompositionStatus.DRAFT,
        seated={Position.CHAIR: (attacker, ngo), Position.SECRETARY: (None, None)},
        extra_civil=8,
        state=2,
    )
    assert draft.members.count() == 12
    assert client.post(f"/en/councils/compositions/{draft.pk}/approve/").status_code == 403
    for actor in (attacker, cast.users["platform_admin"], None):
        with pytest.raises(DomainError, match="may not host a council of the kind"):
            services.composition_approve(actor=actor, composition=draft)
    with pytest.raises(DomainError, match="may not host a council of the kind"):
        services.composition_create(actor=None, council=council, term_start=dt.date(2027, 1, 1))
    with pytest.raises(DomainError, match="may not host a council of the kind"):
        services.member_add(
            actor=None, composition=draft, full_name="Invented", category=MemberCategory.CIVIL
        )
    draft.refresh_from_db()
    assert draft.status == CompositionStatus.DRAFT
    # An approved one written before the rule does not take over either, nor on the daily run.
    Composition.objects.filter(pk=draft.pk).update(status=CompositionStatus.APPROVED)
    with pytest.raises(DomainError, match="may not host a council of the kind"):
        services.composition_take_over(actor=None, composition=draft, today=dt.date(2025, 1, 1))
    assert services.compositions_take_over_due(today=dt.date(2025, 1, 1)) == 0
    assert Composition.objects.get(pk=draft.pk).status == CompositionStatus.APPROVED


def test_the_ngo_administrator_is_no_host_staff_of_a_council_his_ngo_may_not_host(
    cast: Cast,
) -> None:
    import rules

    attacker, ngo = _rival(cast)
    public = legacy_council(ngo)
    coordination = services.council_create(
        actor=None, organisation=ngo, kind=CouncilKind.COORDINATION, name_kk="К", name_ru="С"
    )
    assert not rules.has_perm("councils.manage_council", attacker, public)
    assert rules.has_perm("councils.manage_council", attacker, coordination)


def test_a_chair_seated_by_an_ngo_hosted_public_council_cannot_monitor_a_rival_project(
    cast: Cast,
) -> None:
    contract = f.contract(cast)
    attacker, ngo = _rival(cast)
    council = legacy_council(ngo)
    assert council.region_id == contract.region_id
    make_composition(
        council,
        status=CompositionStatus.CURRENT,
        seated={Position.CHAIR: (attacker, ngo), Position.SECRETARY: (None, None)},
    )
    assert monitor_kinds(attacker, contract) == []
    with pytest.raises(DomainError):
        monitoring.visit_create(
            actor=attacker,
            contract=contract,
            monitor_kind=MonitorKind.COUNCIL,
            visited_on=dt.date.today(),
            council=council,
        )
    assert not contract.visits.exists()


def test_the_report_lists_the_councils_whose_host_may_not_host_them(cast: Cast) -> None:
    _attacker, ngo = _rival(cast)
    legacy = legacy_council(ngo)
    services.council_create(
        actor=None,
        organisation=cast.objects["state_body"],
        kind=CouncilKind.PUBLIC,
        name_kk="К",
        name_ru="Законный совет",
    )
    out = StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("check_council_hosts", stdout=out)
    assert exit_code.value.code == 1
    with translation.override("en"):
        legacy_name, ngo_name = legacy.name, ngo.name
    assert out.getvalue() == (
        f"Council {legacy.pk} “{legacy_name}”: A council of the kind “Public council” cannot "
        f"be attached to “{ngo_name}” (Non-governmental organisation). Allowed hosts: state "
        "body.\n"
        "1 council has a host that may not host it.\n"
    )
    Council.objects.filter(pk=legacy.pk).update(is_active=False)
    out = StringIO()
    call_command("check_council_hosts", stdout=out)
    assert out.getvalue() == "Every active council has a host that may host it.\n"


def _admin_form(user: Any, instance: Council | None, **data: Any) -> Any:
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    values = {
        "level": "region",
        "name_kk": "Кеңес",
        "name_ru": "Совет",
        "min_members": 10,
        "max_members": 15,
        "civil_share_num": 2,
        "civil_share_den": 3,
        "term_years": 3,
        "renewal_months": 2,
        "quorum_num": 1,
        "quorum_den": 2,
        "answer_days": 10,
        "version": 1,
        **data,
    }
    return site._registry[Council].get_form(request, instance)(data=values, instance=instance)


def test_the_back_office_refuses_a_host_not_allowed_but_lets_an_old_council_be_deactivated(
    cast: Cast,
) -> None:
    admin = cast.users["platform_admin"]
    ngo = cast.objects["own_ngo"]
    form = _admin_form(admin, None, kind=CouncilKind.PUBLIC, organisation=ngo.pk, is_active="on")
    with translation.override("en"):
        assert form.errors == {
            "__all__": [
                f"A council of the kind “Public council” cannot be attached to “{ngo.name}” "
                "(Non-governmental organisation). Allowed hosts: state body."
            ]
        }
    legacy = legacy_council(ngo)
    form = _admin_form(admin, legacy, kind=CouncilKind.PUBLIC, organisation=ngo.pk)
    assert form.is_valid(), form.errors
    form.save()
    legacy.refresh_from_db()
    assert legacy.is_active is False


def test_only_the_hosts_staff_form_and_approve_a_composition_of_a_lawful_council(
    cast: Cast,
) -> None:
    council = services.council_create(
        actor=None,
        organisation=cast.objects["state_body"],
        kind=CouncilKind.PUBLIC,
        name_kk="К",
        name_ru="С",
    )
    outsider = cast.users["ngo_admin"]
    with pytest.raises(DomainError, match="Only the staff of the council's host"):
        services.composition_create(actor=outsider, council=council, term_start=dt.date(2027, 1, 1))
    draft = services.composition_create(
        actor=cast.users["official"], council=council, term_start=dt.date(2027, 1, 1)
    )
    with pytest.raises(DomainError, match="Only the staff of the council's host"):
        services.member_add(
            actor=outsider, composition=draft, full_name="X", category=MemberCategory.CIVIL
        )
    with pytest.raises(DomainError, match="Only the staff of the council's host"):
        services.composition_approve(actor=outsider, composition=draft)
