"""Optimistic locking: one helper for every object people edit in a form.

A form carries the `version` it was opened with; the service passes it on as
`expected_version`. `lock_for_update` locks the row and refuses with one message when someone
saved in between, so nothing is silently overwritten and the view keeps what was typed.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ConflictError

M = TypeVar("M", bound=models.Model)

CONFLICT_MESSAGE = _(
    "Someone else changed this while you were editing it. Nothing was saved: your entries are "
    "kept below; compare them with the current version and save again."
)


def conflict() -> ConflictError:
    """The shared refusal, for a service that checks something other than a version."""
    return ConflictError(CONFLICT_MESSAGE)


def check_version(obj: models.Model, *, expected_version: int | None) -> None:
    """Refuse when the (locked) object's version is not the one the user saw.

    `None` means the form did not say which version it showed: that is never taken for
    "anything goes"."""
    if expected_version is None or obj.version != expected_version:  # type: ignore[attr-defined]
        raise conflict()


def lock_for_update(
    target: M | models.QuerySet[M],
    *,
    expected_version: int | None,
    pk: object = None,
) -> M:
    """Lock the row (`select_for_update`) and check its version.

    `target` is the instance, or a queryset (e.g. with `select_related` and `of=`) and `pk`.
    """
    if isinstance(target, models.QuerySet):
        if not target.query.select_for_update:
            target = target.select_for_update()
        locked = target.get(pk=pk)
    else:
        locked = type(target)._default_manager.select_for_update().get(pk=target.pk)
    check_version(locked, expected_version=expected_version)
    return locked


def bump_version(obj: models.Model) -> list[str]:
    """Count one more saved version; returns the field to add to `update_fields`."""
    obj.version += 1  # type: ignore[attr-defined]
    return ["version"]
