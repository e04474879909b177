"""Pages of people and organisations: the organisation switch, my account, organisation pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from ortaq.accounts.actors import acting_user
from ortaq.core.errors import DomainError
from ortaq.core.web import acting_for, rule_required, show_error

from . import services
from .forms import OrganisationForm, OrganisationSwitchForm
from .middleware import SESSION_KEY
from .models import Organisation
from .selectors import memberships_of


@require_POST
@login_required
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Choose which organisation the user acts for; only one he belongs to."""
    form = OrganisationSwitchForm(request.POST)
    target = "/"
    if form.is_valid():
        nxt = form.cleaned_data.get("next") or ""
        if url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
            target = nxt
        chosen = form.cleaned_data["organisation"]
        mine = {m.organisation_id: m.organisation for m in memberships_of(user=request.user)}
        if chosen in mine:
            request.session[SESSION_KEY] = chosen
            messages.success(
                request, _("You now act for {organisation}.").format(organisation=mine[chosen].name)
            )
        else:
            messages.error(request, _("You are not a member of that organisation."))
    return HttpResponseRedirect(target)


class MyAccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/my_account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = memberships_of(user=self.request.user)
        return context


class OrganisationDetailView(DetailView):
    template_name = "accounts/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self) -> Any:
        return Organisation.objects.filter(is_active=True).select_related("region")


@login_required
@rule_required(
    "accounts.change_organisation", fn=lambda request, pk: get_object_or_404(Organisation, pk=pk)
)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in OrganisationForm.Meta.fields}
        try:
            services.organisation_update(
                actor=acting_user(request),
                organisation=organisation,
                expected_version=form.cleaned_data["version"],
                acting_for=acting_for(request),
                **values,
            )
        except DomainError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )
