"""Least privilege in the database (issue 17; docs/security.md, "Database roles"). The suite's application
code connects as the runtime role (tests/conftest.py), so these tests see exactly what the portal's web,
worker and beat processes can do: add rows to the access log and the change history, never rewrite or
remove them, and never reach around the grants (trigger control, ownership, superuser)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from scr_portal import db_roles
from scr_portal.models import AccessLog, Tombstone

from ..reviews.factories import decided_review

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASE_OWNER or connection.vendor != "postgresql",
        reason="two database roles exist on PostgreSQL with DATABASE_OWNER_URL only (make test sets it)",
    ),
]


def one(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def test_the_suite_connects_as_the_runtime_role_which_is_no_superuser_and_owns_nothing():
    assert one("SELECT current_user")[0] == settings.DATABASE_RUNTIME_ROLE
    assert settings.DATABASE_RUNTIME_ROLE != settings.DATABASE_OWNER["USER"]
    superuser, createdb, createrole, bypassrls = one(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert not (superuser or createdb or createrole or bypassrls)
    owned = one(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = current_user"
    )[0]
    assert owned == 0
    # Not even a member of the owner role (membership would carry its rights).
    assert not one("SELECT pg_has_role(current_user, %s, 'MEMBER')", [settings.DATABASE_OWNER["USER"]])[0]


def test_the_rule_covers_the_access_log_and_every_change_history_table():
    from pghistory.models import Event

    event_tables = {
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, Event) and model._meta.managed
    }
    assert len(event_tables) >= 20  # every app tracks its records (scr_portal/history.py)
    assert db_roles.append_only_tables() == event_tables | {AccessLog._meta.db_table}


def test_the_runtime_role_has_exactly_the_rule_on_every_table():
    """Every table of the schema, read from the catalogue (so a new table cannot be forgotten): the
    runtime role holds exactly the privileges of db_roles.expected_privileges, no more, no fewer."""
    with connection.cursor() as cursor:
        tables = db_roles.schema_tables(cursor)
    assert len(tables) > 100
    wrong = []
    for table in tables:
        expected = db_roles.expected_privileges(table)
        for privilege in db_roles.TABLE_PRIVILEGES:
            held = one("SELECT has_table_privilege(current_user, %s, %s)", [f'"{table}"', privilege])[0]
            if held != (privilege in expected):
                wrong.append(f"{table}: {privilege} {'held' if held else 'missing'}")
    assert not wrong, "privileges of the runtime role that break the rule:\n" + "\n".join(wrong)
    assert db_roles.expected_privileges(AccessLog._meta.db_table) == {"SELECT", "INSERT"}


def test_the_runtime_role_uses_every_sequence_and_executes_only_the_retention_functions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'S'"
            " AND NOT has_sequence_privilege(current_user, c.oid, 'USAGE')"
        )
        assert cursor.fetchall() == []
    for function in db_roles.RETENTION_FUNCTIONS:
        assert one("SELECT has_function_privilege(current_user, %s, 'EXECUTE')", [function])[0]
    assert not one(
        "SELECT has_function_privilege('public', 'scr_retention_destroy_history(bigint, text, text, text[])',"
        " 'EXECUTE')"
    )[0]


# --- Acceptance: the portal's role cannot erase its own audit trail ---------------------------------------


@pytest.fixture
def audit_rows(client_as, board_a, chair_a, manager_a, agency_x):
    """A decided review (its referral has change history) and a read of the referral (an access-log row)."""
    review = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    client_as(manager_a).get(reverse("referral_detail", args=[review.referral.pk]))
    event_table = apps.get_model("referrals", "ReferralEvent")._meta.db_table
    return {AccessLog._meta.db_table: "user_name", event_table: "pgh_label"}


def access_log_trigger() -> str:
    return one(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
        [AccessLog._meta.db_table, "pgtrigger_access_log_append_only_%"],
    )[0]


ATTACKS = {
    "DELETE": ["DELETE FROM {table}"],
    "UPDATE": ["UPDATE {table} SET {column} = 'rewritten'"],
    "TRUNCATE": ["TRUNCATE {table}"],
    "SET pgtrigger.ignore then DELETE": [
        "SET LOCAL pgtrigger.ignore = '{{{trigger}}}'",
        "DELETE FROM {table}",
    ],
    "ALTER TABLE DISABLE TRIGGER then DELETE": [
        "ALTER TABLE {table} DISABLE TRIGGER ALL",
        "DELETE FROM {table}",
    ],
    "ALTER TABLE OWNER": ["ALTER TABLE {table} OWNER TO current_user"],
    "SET ROLE to the owner": ["SET LOCAL ROLE {owner}", "DELETE FROM {table}"],
}


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("kind", ["access log", "change history"])
def test_the_runtime_role_cannot_erase_or_rewrite_the_audit_trail(audit_rows, attack, kind):
    table = next(iter(audit_rows)) if kind == "access log" else list(audit_rows)[1]
    column = audit_rows[table]
    before = one(f'SELECT count(*), array_agg({column} ORDER BY 1) FROM "{table}"')  # noqa: S608
    assert before[0] > 0
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        for sql in ATTACKS[attack]:
            cursor.execute(
                sql.format(
                    table=f'"{table}"',
                    column=column,
                    trigger=access_log_trigger(),
                    owner=settings.DATABASE_OWNER["USER"],
                )
            )
    assert one(f'SELECT count(*), array_agg({column} ORDER BY 1) FROM "{table}"') == before  # noqa: S608


# --- Retention's narrow path ------------------------------------------------------------------------------


def test_retention_functions_refuse_without_a_tombstone_of_this_transaction(audit_rows, board_a, manager_a):
    import datetime as dt

    event_table = list(audit_rows)[1]
    with pytest.raises(DatabaseError, match="tombstone"), transaction.atomic():
        one("SELECT scr_retention_destroy_history(%s, %s, %s, %s)", [0, event_table, "pgh_obj_id", ["1"]])
    with transaction.atomic():
        tombstone = Tombstone.objects.create(
            board=board_a,
            reference="OLD-1",
            record_type="referral",
            retention_from=dt.date(2020, 1, 1),
            destruction_due_on=dt.date(2027, 1, 1),
            approved_by=manager_a,
            destroyed_at=dt.datetime(2027, 1, 2, tzinfo=dt.UTC),
        )
    # A table that is not change history is refused, even with a fresh tombstone.
    with pytest.raises(DatabaseError, match="not a change-history table"), transaction.atomic():
        one(
            "SELECT scr_retention_destroy_history(%s, %s, %s, %s)",
            [tombstone.pk, AccessLog._meta.db_table, "pgh_obj_id", ["1"]],
        )
    with pytest.raises(DatabaseError, match="pgh_obj_id or pgh_id"), transaction.atomic():
        one(
            "SELECT scr_retention_destroy_history(%s, %s, %s, %s)",
            [tombstone.pk, event_table, "pgh_label", ["x"]],
        )
    # With a fresh tombstone it works, as the runtime role, and only on the rows named.
    before = one(f'SELECT count(*) FROM "{event_table}"')[0]  # noqa: S608
    target = one(f'SELECT pgh_obj_id::text FROM "{event_table}" LIMIT 1')[0]  # noqa: S608
    named = one(f'SELECT count(*) FROM "{event_table}" WHERE pgh_obj_id::text = %s', [target])[0]  # noqa: S608
    assert (
        one(
            "SELECT scr_retention_destroy_history(%s, %s, %s, %s)",
            [tombstone.pk, event_table, "pgh_obj_id", [target]],
        )[0]
        == named
    )
    assert one(f'SELECT count(*) FROM "{event_table}"')[0] == before - named  # noqa: S608
