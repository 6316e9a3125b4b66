"""Japanese-aware duplicate detection and merge for accounts and contacts.

- `engine`: pure comparison of two records (no database), the rules of japan.md §2.3;
- `matching`: find the best existing account or contact for incoming data;
- `services`: the review queue and the merges.
"""
