"""Accounts (companies), contacts (people), normalization."""
