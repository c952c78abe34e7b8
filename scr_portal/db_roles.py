"""The two database roles on PostgreSQL (docs/security.md, "Database roles").

- The **owner** (DATABASE_OWNER_URL) owns the schema and every table. It runs `migrate` and nothing else
  (in the test suite also the creation of the test database and the emptying of tables between
  transactional tests).
- The **runtime** role (DATABASE_URL) is what web, worker and beat connect as. It owns nothing and is not a
  superuser, so it cannot alter a table, disable a trigger or bypass a grant. After every migration the
  owner grants it, on every table of the schema (the rule `expected_privileges` states, and a test checks
  against the live catalogue):

  - the access log and every change-history (pghistory event) table: SELECT and INSERT only;
  - django_migrations: SELECT only;
  - the tombstones of destroyed cases: SELECT, INSERT, UPDATE (no DELETE);
  - every other table: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES or TRIGGER);
  - sequences: USAGE;
  - EXECUTE on retention's two SECURITY DEFINER functions (migration 0008), its only way to remove
    change history or blank an access-log row.

The roles share the "default" connection: `as_owner()` closes it and opens it again with the owner's user
name and password, then back. Without DATABASE_OWNER_URL (the SQLite demo, a one-role development
database) nothing here does anything."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

FULL = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
APPEND_ONLY = frozenset({"SELECT", "INSERT"})
READ_ONLY = frozenset({"SELECT"})
# Every table privilege PostgreSQL has (what the check compares against).
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
NO_DELETE = frozenset({"SELECT", "INSERT", "UPDATE"})
READ_ONLY_TABLES = frozenset({"django_migrations"})
# What is left of a destroyed case, and the evidence that its history was removed (retention.py): written
# and completed by retention, never removed by the portal.
NO_DELETE_TABLES = frozenset({"scr_portal_tombstone"})
# SECURITY DEFINER functions the runtime role may execute (PUBLIC may not).
RETENTION_FUNCTIONS = (
    "scr_retention_destroy_history(bigint, text, text, text[])",
    "scr_retention_anonymise_access_log(bigint, integer, bigint[])",
)


def two_roles(using: str = "default") -> bool:
    """Whether this deployment separates the owner from the runtime role."""
    return bool(getattr(settings, "DATABASE_OWNER", None)) and connections[using].vendor == "postgresql"


def runtime_role() -> str:
    return settings.DATABASE_RUNTIME_ROLE


@contextmanager
def as_owner(using: str = "default") -> Iterator[None]:
    """Run the block on the connection `using` as the owner role (a no-op with one role, or already)."""
    connection = connections[using]
    owner = getattr(settings, "DATABASE_OWNER", None)
    if not two_roles(using) or connection.settings_dict.get("USER") == owner["USER"]:
        yield
        return
    if connection.in_atomic_block:
        raise RuntimeError("The database role cannot change inside a transaction.")
    saved = {key: connection.settings_dict.get(key) for key in owner}
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def append_only_tables() -> set[str]:
    """The access log and every change-history table: the runtime role may only add rows to them."""
    from .audit.models import AccessLog
    from .models.tracking import event_models

    return {AccessLog._meta.db_table} | {model._meta.db_table for model in event_models().values()}


def expected_privileges(table: str) -> frozenset[str]:
    """The rule: what the runtime role may do to `table`."""
    if table in READ_ONLY_TABLES:
        return READ_ONLY
    if table in NO_DELETE_TABLES:
        return NO_DELETE
    if table in append_only_tables():
        return APPEND_ONLY
    return FULL


def schema_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def grant_runtime_privileges(using: str = "default") -> None:
    """Give the runtime role exactly the privileges of the rule on every table (run as the owner)."""
    connection = connections[using]
    role = connection.ops.quote_name(runtime_role())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = schema_tables(cursor)
        cursor.execute(f"GRANT USAGE ON SCHEMA {quote(_schema(cursor))} TO {role}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {quote(_schema(cursor))} FROM {role}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quote(_schema(cursor))} FROM {role}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {quote(_schema(cursor))} TO {role}")
        by_privileges: dict[frozenset[str], list[str]] = {}
        for table in tables:
            by_privileges.setdefault(expected_privileges(table), []).append(table)
        for privileges, names in by_privileges.items():
            cursor.execute(
                f"GRANT {', '.join(sorted(privileges))} ON {', '.join(quote(name) for name in names)}"
                f" TO {role}"
            )
        # Retention's narrow path through the append-only tables (migration 0008).
        for function in RETENTION_FUNCTIONS:
            cursor.execute("SELECT to_regprocedure(%s)", [function])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")


def _schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return cursor.fetchone()[0]


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: as the owner, grant the runtime role its privileges on the tables as they now are."""
    if not two_roles(using):
        return
    if connections[using].settings_dict.get("USER") == runtime_role():
        # Not the owner (e.g. a `flush` run as the runtime role): it cannot grant anything.
        return
    grant_runtime_privileges(using)
