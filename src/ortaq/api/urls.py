from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ortaq.councils.api import register as register_councils
from ortaq.funding.competitions.api import register as register_funding
from ortaq.funding.contracts.api import register as register_contracts
from ortaq.funding.monitoring.api import register as register_monitoring
from ortaq.funding.projects.api import register as register_projects
from ortaq.funding.reports.api import register as register_funding_reports
from ortaq.funding.risk.api import register as register_risk
from ortaq.funding.stats.api import register as register_funding_stats
from ortaq.registry.api import NgoViewSet

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("legal-forms", views.LegalFormViewSet, basename="legal-form")
router.register("activity-areas", views.ActivityAreaViewSet, basename="activity-area")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("ngos", NgoViewSet, basename="ngo")
register_councils(router)
register_funding(router)
register_funding_reports(router)
register_monitoring(router)
register_contracts(router)
register_projects(router)
register_risk(router)
register_funding_stats(router)

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the strict CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
