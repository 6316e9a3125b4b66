"""APPI / GDPR privacy: the purpose-of-use notice, data-subject requests (disclosure,
correction, erasure, stop of use), erasure tombstones, and the registry through which each
app says what it holds about a person."""
