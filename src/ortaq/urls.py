"""Every page lives under a language prefix (/kk/, /ru/, /en/); the API and health check do not."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from ortaq.core.views import healthz

handler500 = "ortaq.core.views.server_error"

admin.site.site_header = "Ortaq"
admin.site.site_title = "Ortaq"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("ortaq.api.urls")),
    path("opendata/", include("ortaq.funding.opendata.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("ortaq.core.urls")),
    path("audit/", include("ortaq.audit.urls")),
    path("accounts/", include("ortaq.accounts.urls")),
    path("ngos/", include("ortaq.registry.urls")),
    path("", include("ortaq.registry.urls_reports")),
    path("stats/funding/", include("ortaq.funding.stats.urls")),
    path("councils/", include("ortaq.councils.urls")),
    path("funding/", include("ortaq.funding.urls")),
    path("inbox/", include("ortaq.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:  # pragma: no cover - development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
