"""Periodic work of the marketing app."""

from __future__ import annotations
