"""Saved column mappings: create (from the mapping screen), rename and edit, delete.

Every change is written to the audit log. A saved mapping is used by name on the upload
page and by `./renkei import contacts FILE --mapping NAME`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.core import audit
from renkei.core.choices import AuditAction
from renkei.core.models import User
from renkei.imports.mappings import BUILTINS, Mapping, MappingError, names_a_person
from renkei.imports.models import SavedMapping

NAME_MAX = SavedMapping._meta.get_field("name").max_length


def check_name(name: str, *, exclude: SavedMapping | None = None) -> str:
    """A usable, unused mapping name (stripped), or ValidationError."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the mapping a name."), code="required")
    if len(name) > NAME_MAX:  # type: ignore[operator]
        raise ValidationError(
            _("A mapping name has at most %(limit)d characters.") % {"limit": NAME_MAX},
            code="max_length",
        )
    if name.casefold() in BUILTINS or name.lower().endswith(".json"):
        raise ValidationError(
            _("%(name)s is the name of a built-in mapping; choose another name.") % {"name": name},
            code="reserved",
        )
    taken = SavedMapping.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            _("A saved mapping named %(name)s already exists.") % {"name": name}, code="unique"
        )
    return name


def check_mapping(mapping: Mapping) -> None:
    """A mapping an import can use: known targets, and a column for the person's name."""
    try:
        mapping.validate()
    except MappingError as exc:
        raise ValidationError(exc.message, code="invalid") from None
    if not names_a_person(mapping):
        raise ValidationError(
            _("Choose the column that holds the family name (姓) or the full name (氏名)."),
            code="no_name",
        )


def load(saved: SavedMapping) -> Mapping:
    """The saved mapping as a Mapping (MappingError if its definition is broken)."""
    return Mapping.from_dict({**saved.definition, "name": saved.name})


@transaction.atomic
def create_saved_mapping(*, name: str, mapping: Mapping, actor: User) -> SavedMapping:
    """Save `mapping` under `name` for later imports."""
    name = check_name(name)
    check_mapping(mapping)
    definition = mapping.to_dict()
    definition.update(name=name, label=name, source=mapping.source or name)
    saved = SavedMapping.objects.create(name=name, definition=definition)
    audit.record(
        saved, action=AuditAction.CREATE, actor=actor, changes=audit.diff({}, audit.snapshot(saved))
    )
    return saved


@transaction.atomic
def update_saved_mapping(
    saved: SavedMapping, *, name: str, columns: dict[str, str], actor: User
) -> SavedMapping:
    """Rename a saved mapping and replace its column targets. Its source (the namespace of
    its external ids) stays, so a renamed mapping still recognises earlier imports."""
    saved = SavedMapping.objects.select_for_update().get(pk=saved.pk)
    name = check_name(name, exclude=saved)
    before = audit.snapshot(saved)
    definition = {**saved.definition, "columns": columns, "name": name, "label": name}
    definition.setdefault("source", saved.name)
    try:
        mapping = Mapping.from_dict(definition)
    except MappingError as exc:
        raise ValidationError(exc.message, code="invalid") from None
    check_mapping(mapping)
    saved.name = name
    saved.definition = mapping.to_dict()
    saved.save(update_fields=["name", "definition", "updated_at"])
    audit.record(
        saved,
        action=AuditAction.UPDATE,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(saved)),
    )
    return saved


@transaction.atomic
def delete_saved_mapping(saved: SavedMapping, *, actor: User) -> None:
    """Delete a saved mapping; jobs that used it keep their copy of the definition."""
    changes = {key: [value, None] for key, value in audit.snapshot(saved).items()}
    audit.record(saved, action=AuditAction.DELETE, actor=actor, changes=changes)
    saved.delete()
