"""Pages: base templates, navigation, home pages, contacts and accounts screens."""
