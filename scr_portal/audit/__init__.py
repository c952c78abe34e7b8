"""The audit trail: the append-only access log (who viewed, downloaded, exported or printed a case page),
the change history of case records (django-pghistory, see scr_portal/history.py) and the pages that show
them to the business manager and the auditor. See docs/security.md and docs/adr/0005."""
