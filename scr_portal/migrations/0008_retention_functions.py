"""Retention's narrow path through the append-only tables (scr_portal/audit/retention.py): two functions
owned by the owner role that run with its rights (SECURITY DEFINER), so that the runtime role, which may only
add rows to the change history and the access log (scr_portal/db_roles.py), can still destroy a case's
history and blank the personal fields of its access-log rows when the business manager approves its
destruction, and nothing else:

- each refuses unless the Tombstone it is given was written in the calling transaction, so every use
  leaves the tombstone (who approved it, when, what was destroyed) and happens inside `case_destroy`;
- `scr_retention_destroy_history` deletes from a change-history table only (a table with pghistory's
  columns), the events of the listed rows (or the listed events) only;
- `scr_retention_anonymise_access_log` blanks the user's name, address and path of the access-log rows of
  the listed records and labels them with the tombstone's reference; it never deletes a row;
- each writes a line to the PostgreSQL server log.

PUBLIC may not execute them; the post_migrate handler grants EXECUTE to the runtime role. PostgreSQL only
(the SQLite demo has no roles and no triggers)."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION scr_retention_tombstone_is_new(p_tombstone bigint) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
DECLARE
    v_reference text;
    v_xmin bigint;
    v_now bigint := pg_current_xact_id()::text::bigint;
    v_full bigint;
BEGIN
    -- Another transaction's uncommitted rows are invisible here, so a visible row whose inserting
    -- transaction is still in progress was written by this transaction (or one of its savepoints).
    SELECT reference, xmin::text::bigint INTO v_reference, v_xmin FROM scr_portal_tombstone
     WHERE id = p_tombstone;
    IF v_xmin IS NOT NULL THEN
        v_full := ((v_now >> 32) << 32) + v_xmin;
        -- The row's 32-bit xid in the epoch closest to this transaction's (a savepoint's xid is newer).
        IF v_full > v_now + 2147483648 THEN
            v_full := v_full - 4294967296;
        ELSIF v_full < v_now - 2147483648 THEN
            v_full := v_full + 4294967296;
        END IF;
        IF pg_xact_status(v_full::text::xid8) IS DISTINCT FROM 'in progress' THEN
            v_reference := NULL;
        END IF;
    END IF;
    IF v_reference IS NULL THEN
        RAISE EXCEPTION 'retention: tombstone % was not written in this transaction', p_tombstone
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_reference;
END
$fn$;

CREATE OR REPLACE FUNCTION scr_retention_destroy_history(
    p_tombstone bigint, p_event_table text, p_column text, p_ids text[]
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
DECLARE
    v_reference text := scr_retention_tombstone_is_new(p_tombstone);
    v_table regclass := to_regclass(quote_ident(p_event_table));
    v_type text;
    v_count bigint;
BEGIN
    IF v_table IS NULL OR (
        SELECT count(*) FROM pg_attribute
         WHERE attrelid = v_table AND NOT attisdropped
           AND attname IN ('pgh_id', 'pgh_created_at', 'pgh_label', 'pgh_obj_id', 'pgh_context_id')
    ) <> 5 THEN
        RAISE EXCEPTION 'retention: % is not a change-history table', p_event_table
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- The events of the destroyed rows (pgh_obj_id), or events found as case rows themselves (pgh_id).
    IF p_column NOT IN ('pgh_obj_id', 'pgh_id') THEN
        RAISE EXCEPTION 'retention: events are chosen by pgh_obj_id or pgh_id, not %', p_column
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT format_type(atttypid, atttypmod) INTO v_type FROM pg_attribute
     WHERE attrelid = v_table AND attname = p_column;
    EXECUTE format('DELETE FROM %s WHERE %I = ANY(CAST($1 AS %s[]))', v_table, p_column, v_type)
        USING p_ids;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RAISE LOG 'retention: % change-history rows of % destroyed for tombstone % (%)',
        v_count, p_event_table, p_tombstone, v_reference;
    RETURN v_count;
END
$fn$;

CREATE OR REPLACE FUNCTION scr_retention_anonymise_access_log(
    p_tombstone bigint, p_content_type integer, p_object_ids bigint[]
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
DECLARE
    v_reference text := scr_retention_tombstone_is_new(p_tombstone);
    v_previous text := current_setting('pgtrigger.ignore', true);
    v_trigger text;
    v_count bigint;
BEGIN
    -- The append-only trigger refuses every UPDATE; let this one through, then restore the setting.
    SELECT tgname INTO v_trigger FROM pg_trigger
     WHERE tgrelid = 'scr_portal_accesslog'::regclass AND tgname LIKE 'pgtrigger_access_log_append_only_%';
    IF v_trigger IS NOT NULL THEN
        PERFORM set_config('pgtrigger.ignore', '{' || v_trigger || '}', true);
    END IF;
    UPDATE scr_portal_accesslog
       SET user_name = '', ip_address = NULL, path = '', object_label = v_reference
     WHERE content_type_id = p_content_type AND object_id = ANY(p_object_ids);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM set_config('pgtrigger.ignore', coalesce(v_previous, ''), true);
    RAISE LOG 'retention: % access-log rows anonymised for tombstone % (%)', v_count, p_tombstone, v_reference;
    RETURN v_count;
END
$fn$;

REVOKE ALL ON FUNCTION scr_retention_tombstone_is_new(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION scr_retention_destroy_history(bigint, text, text, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION scr_retention_anonymise_access_log(bigint, integer, bigint[]) FROM PUBLIC;
"""

DROP = """
DROP FUNCTION IF EXISTS scr_retention_anonymise_access_log(bigint, integer, bigint[]);
DROP FUNCTION IF EXISTS scr_retention_destroy_history(bigint, text, text, text[]);
DROP FUNCTION IF EXISTS scr_retention_tombstone_is_new(bigint);
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("scr_portal", "0007_reminder_withdrawn")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
