"""Who may fill, submit, review and see the yearly NGO-database reports, imports and compliance.

Registered at import; `report_services`, `report_selectors` and `urls_reports` import this
module so the permissions exist whether a request, a task or a test comes first.
"""

from __future__ import annotations

from typing import Any

import rules

from ortaq.accounts.models import Organisation
from ortaq.accounts.rules import (
    is_organisation_admin,
    is_platform_admin,
    is_regional_admin,
    is_regional_admin_of,
)

from .models import AnnualReport, ImportJob, NgoProfile


def _organisation(obj: Any) -> Organisation | None:
    """The NGO's organisation behind a profile or a report."""
    if isinstance(obj, AnnualReport):
        obj = obj.ngo
    if isinstance(obj, NgoProfile):
        return obj.organisation
    if isinstance(obj, Organisation):
        return obj
    return None


@rules.predicate
def is_ngo_admin(user: Any, obj: Any) -> bool:
    return bool(is_organisation_admin(user, _organisation(obj)))


@rules.predicate
def is_ngo_regional_admin(user: Any, obj: Any) -> bool:
    return bool(is_regional_admin_of(user, _organisation(obj)))


@rules.predicate
def started_the_import(user: Any, job: ImportJob | None) -> bool:
    return job is not None and user.is_authenticated and job.created_by_id == user.pk


# Only the NGO's own administrators write its report; the state reviews it.
rules.add_perm("registry.fill_annualreport", is_ngo_admin)
rules.add_perm("registry.review_annualreport", is_ngo_regional_admin | is_platform_admin)
rules.add_perm(
    "registry.view_annualreport", is_ngo_admin | is_ngo_regional_admin | is_platform_admin
)
rules.add_perm("registry.view_compliance", is_regional_admin | is_platform_admin)
rules.add_perm("registry.import_ngos", is_regional_admin | is_platform_admin)
# A file's row may change an NGO already in the registry only where the importer could change
# its status on the NGO's page (registry.change_ngo_status): its region's administrator, or a
# platform administrator. The region written in the row is checked as well, separately.
rules.add_perm("registry.import_over_ngo", is_ngo_regional_admin | is_platform_admin)
rules.add_perm("registry.view_importjob", started_the_import | is_platform_admin)
rules.add_perm("registry.view_ngo_statistics", rules.always_allow)
