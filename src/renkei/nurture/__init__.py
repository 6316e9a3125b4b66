"""Nurture email: sender identity, templates, one-off sends, suppression and lawful consent."""
