"""The document engine: letters and reports rendered to tagged PDF from case data (WeasyPrint, with a URL
fetcher that reads only the project's static files), their anonymised versions for outside bodies and
the public, and the check that stops a name leaving the board. See registry.py for how a document is
added, anonymise.py for the key, the anonymiser and the checker, and services.py for the writes."""
