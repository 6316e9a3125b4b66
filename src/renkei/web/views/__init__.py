"""Renkei's pages. Each view authenticates, scopes, validates a form, calls one service
and renders (STYLE.md rule 10)."""
