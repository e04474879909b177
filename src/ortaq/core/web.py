"""The web glue every app's views share: the permission check, running a service from a form,
pagination and the organisation the user acts for. Written once, so that a view of any app
answers the same way.

- `rule_required(perm, fn=None)`: asks the django-rules rule itself (`rules.has_perm`), never
  `user.has_perm`, whose auth backend lets a Django superuser through everything: the platform
  administrator gets exactly what the rule says. Anonymous users go to the login page, others
  get 403. `fn(request, *args, **kwargs)` loads the object the rule looks at (and answers 404
  for a missing one). `RuleRequiredMixin` is the same for class-based views.
- `service_call(request, form=...)`: a `with` block around a service call; a `DomainError`
  becomes an error on its form field (or on the form, or a page message without a form), a
  `ConflictError` the standard "someone saved in between" message on the form, never on a
  field. `run_service` is the one-line form of it for buttons.
- `paginate(request, items)`: one page size (`ORTAQ_PAGE_SIZE`), `?page=` read leniently.
  `query_string(request)` is the list's query without `page` (and `export`), repeated keys kept,
  for the export links and the pager (`core/pagination.html`).
- `acting_for(request)`: the organisation chosen in the header (accounts middleware) or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from ortaq.core.errors import ConflictError, DomainError

# --- permissions ------------------------------------------------------------------------------


def rule_allows(request: HttpRequest, perm: str, obj: Any = None) -> bool:
    """The rule of `perm` for the request's user (no superuser bypass)."""
    return bool(rules.has_perm(perm, request.user, obj))


def _refuse(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def rule_required(
    perm: str, fn: Callable[..., Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The view runs only when the rule of `perm` allows the user (on `fn`'s object)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not rule_allows(request, perm, obj):
                return _refuse(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RuleRequiredMixin:
    """`rule_required` for class-based views: `permission_required` names the rule,
    `get_permission_object()` the object it looks at (None by default)."""

    permission_required: str = ""
    request: HttpRequest

    def get_permission_object(self) -> Any:
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not rule_allows(request, self.permission_required, self.get_permission_object()):
            return _refuse(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


# --- services ---------------------------------------------------------------------------------


def show_error(request: HttpRequest, error: DomainError, form: Any = None) -> None:
    """A service's refusal where the user looks: next to the field it names, on the form, or
    as a page message. A conflict is about the whole object, never one field."""
    message = str(error.message)
    if form is None:
        messages.error(request, message)
        return
    field = error.field if error.field in form.fields else None
    if isinstance(error, ConflictError):
        field = None
    form.add_error(field, message)


@dataclass
class Outcome:
    """What a `service_call` block came to."""

    ok: bool = False
    error: DomainError | None = None

    @property
    def conflict(self) -> ConflictError | None:
        return self.error if isinstance(self.error, ConflictError) else None


@contextmanager
def service_call(
    request: HttpRequest,
    *,
    form: Any = None,
    success: str | None = None,
    show_conflict: bool = True,
) -> Iterator[Outcome]:
    """Run the service calls of the block; a `DomainError` is shown (`show_error`) and ends
    the block, `success` becomes a page message when it went through. A view that rebuilds
    its form after a conflict (what the user typed, against the version now saved) passes
    `show_conflict=False` and shows `outcome.conflict` on the new form."""
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        outcome.error = error
        if show_conflict or not isinstance(error, ConflictError):
            show_error(request, error, form)
    else:
        outcome.ok = True
        if success is not None:
            messages.success(request, success)


def run_service(
    request: HttpRequest, action: Callable[[], Any], success: str | None = None, *, form: Any = None
) -> bool:
    """Call a service; show its refusal (`show_error`). True when it went through."""
    with service_call(request, form=form, success=success) as outcome:
        action()
    return outcome.ok


# --- lists ------------------------------------------------------------------------------------


def page_size() -> int:
    return int(settings.ORTAQ_PAGE_SIZE)


def paginate(
    request: HttpRequest, items: Any, per_page: int | None = None, param: str = "page"
) -> Page:
    """One page of `items`; a missing, wrong or too large `?page=` gives the first or last."""
    return Paginator(items, per_page or page_size()).get_page(request.GET.get(param))


def query_string(request: HttpRequest, drop: tuple[str, ...] = ("page", "export")) -> str:
    """The list's query without the page (and the export switch); repeated keys stay."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


# --- the organisation the user acts for ------------------------------------------------------


def acting_for(request: HttpRequest) -> Any:
    """The organisation the user acts for (accounts middleware), or None."""
    return getattr(request, "organisation", None) or None
