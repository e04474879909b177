"""One way for every workflow to change an object's status.

Each workflow declares a `Workflow`: its transitions table (from `enums.py`), the choices whose
labels name the states, the status column, and the status-change model with the name of its
foreign key to the object. `transition` checks the table, writes the status-change row and
saves with `update_fields`; the calling service locks the row first and audits after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import StatusChangeBase

DEFAULT_REFUSAL = _("The status cannot go from “{old}” to “{new}”.")


@dataclass(frozen=True)
class Workflow:
    """The declared workflow of one model; `refusal` may name `{old}` and `{new}`."""

    table: Mapping[str, frozenset[str]]
    states: type[models.TextChoices]
    log_model: type[StatusChangeBase] | None = None
    log_fk: str = ""
    field: str = "status"
    version_field: str | None = "version"
    # Columns saved with every step (`auto_now` ones are not saved by update_fields otherwise).
    touch: tuple[str, ...] = ()
    refusal: str | Promise = DEFAULT_REFUSAL
    refusal_error: type[DomainError] = DomainError
    refusal_field: str | None = None

    def __post_init__(self) -> None:
        if (self.log_model is None) != (not self.log_fk):
            raise ValueError("A status-change model needs the name of its foreign key.")

    def targets(self, source: str) -> frozenset[str]:
        """The states that may follow `source`."""
        return self.table.get(source, frozenset())

    def allows(self, source: str, to: str) -> bool:
        return to in self.targets(source)

    def label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def check(self, source: str, to: str) -> None:
        """Refuse a step the table does not allow, naming both states by their labels."""
        if not self.allows(source, to):
            raise self.refusal_error(
                str(self.refusal).format(old=self.label(source), new=self.label(to)),
                field=self.refusal_field,
            )


def transition(
    obj: models.Model,
    *,
    workflow: Workflow,
    to: str,
    actor: AbstractBaseUser | None,
    note: str = "",
    fields: Iterable[str] = (),
    log_values: Mapping[str, Any] | None = None,
) -> StatusChangeBase | None:
    """Move `obj` (already locked by the caller) to `to`; return the status-change row.

    `fields` are further columns the caller set on `obj` for this step; `log_values` further
    columns of the status-change row (e.g. the date an NGO's status changed).
    """
    source: str = getattr(obj, workflow.field)
    workflow.check(source, to)
    setattr(obj, workflow.field, to)
    update = [workflow.field]
    if workflow.version_field:
        setattr(obj, workflow.version_field, getattr(obj, workflow.version_field) + 1)
        update.append(workflow.version_field)
    update += [f for f in (*workflow.touch, *fields) if f not in update]
    obj.save(update_fields=update)
    if workflow.log_model is None:
        return None
    # The AUTH_USER_MODEL: core sits below accounts and names no model of it.
    row: dict[str, Any] = {
        workflow.log_fk: obj,
        "actor": actor if getattr(actor, "is_authenticated", False) else None,
    }
    return workflow.log_model._default_manager.create(
        **row, from_status=source, to_status=to, note=note, **(log_values or {})
    )
