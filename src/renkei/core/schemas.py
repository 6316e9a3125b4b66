"""API schemas shared by every app's routes: errors, pagination, user summaries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from pydantic import ConfigDict

from renkei.core.choices import Role

DEFAULT_PAGE_SIZE = 50


class ErrorDetail(Schema):
    code: str = Field(description="A stable, machine-readable code such as `stale`.")
    message: str = Field(description="A human-readable message in the request's language.")
    fields: dict[str, list[str]] | None = Field(
        None,
        description="Per-field messages (`__all__` for the record as a whole).",
    )


class ErrorOut(Schema):
    """Every error response has this shape."""

    error: ErrorDetail


class PageParams(Schema):
    """`limit` and `offset` of every list endpoint."""

    limit: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=settings.API_PAGE_SIZE_MAX,
        description=f"Items per page, at most {settings.API_PAGE_SIZE_MAX}.",
    )
    offset: int = Field(0, ge=0, description="How many items to skip.")


class PageOut(Schema):
    """The envelope of a page; subclasses add `items`."""

    count: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int


def _without_defaults(schema: dict[str, Any]) -> None:
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class PatchSchema(Schema):
    """A partial update: only the fields sent are changed; unknown fields are refused.

    Fields default to None only so that pydantic can tell "omitted" from "sent"
    (`exclude_unset`); the default is not part of the documented schema.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_without_defaults)


class CreateSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class UserSummary(Schema):
    id: int
    username: str
    display_name: str


class TeamSummary(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    role: Role
    team: TeamSummary | None
    language: str = Field(description="The user's saved language (`ja`, `en`) or empty.")
