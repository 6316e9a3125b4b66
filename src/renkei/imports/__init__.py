"""Import and export of contacts and accounts: files, encodings, mappings, per-row reports.

A sub-domain of contacts with its own tables (import jobs and their row outcomes); it writes
contacts only through renkei.contacts and renkei.funnel services.
"""
