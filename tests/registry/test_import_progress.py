"""The upload page shows the progress of an import still running in a worker.

The import writes in one transaction, so progress travels through the cache, which web
servers and workers share where deployed (Redis).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ortaq.registry import report_services
from ortaq.registry.models import ImportJob
from ortaq.registry.report_selectors import import_progress_key
from tests.access import Cast

from .test_import import BIN_A, BIN_B, _upload, row

pytestmark = pytest.mark.django_db


def test_page_polls_the_progress_the_worker_reports(cast: Cast, client: Client) -> None:
    admin = cast.users["regional_admin"]
    client.force_login(admin)
    client.post("/en/ngos/import/", {"file": _upload([row(BIN_A), row(BIN_B)])})
    job = ImportJob.objects.get()  # the job waits: on_commit callbacks were not run
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    cache.set(import_progress_key(job.pk), (1, 2))

    partial = client.get(f"/en/ngos/import/{job.pk}/", headers={"HX-Request": "true"}).content
    html = partial.decode()
    assert 'hx-trigger="every 1s"' in html
    assert '<progress class="w-100" max="2" value="1">' in html
    assert "1 of 2 rows" in html


def test_progress_reaches_the_cache_during_the_run_and_is_cleared_after(
    cast: Cast, client: Client, monkeypatch: Any
) -> None:
    client.force_login(cast.users["regional_admin"])
    client.post("/en/ngos/import/", {"file": _upload([row(BIN_A), row(BIN_B)])})
    job = ImportJob.objects.get()
    seen: list[object] = []
    real_import = report_services.ngos_import

    def spying_import(**kwargs: Any) -> Any:
        result = real_import(**kwargs)
        seen.append(cache.get(import_progress_key(job.pk)))
        return result

    monkeypatch.setattr(report_services, "ngos_import", spying_import)
    report_services.import_job_run(job_id=job.pk)
    assert seen == [(2, 2)]
    assert cache.get(import_progress_key(job.pk)) is None
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
