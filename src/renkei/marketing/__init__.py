"""Marketing: forms, first-party web tracking and touches (later personas, campaigns,
content)."""
