"""Search (scr_portal/folding.py): the `unaccent` and `pg_trgm` extensions and `scr_fold(text)`, the
anonymiser's folding (scr_portal.documents.identifiers.fold) in SQL: its table of apostrophes, dashes,
spaces and invisible characters, then accents off and lower case. Both extensions are trusted (PostgreSQL
13+), so the owner role, which owns the database, creates them; their functions and `scr_fold` are
executable by PUBLIC, so the runtime role can use them with no grant of its own. PostgreSQL only: the
SQLite demo registers the Python function under the same name on each connection. Also the access log's
new action, "Found in a search"."""

from django.db import migrations, models

# scr_portal.documents.identifiers._FOLD as it was written here; tests/scr_portal/test_search_folding.py
# checks that the two still agree.
FOLD_FROM = "\u2019\u2018\u02bc\u0060\u00b4\u2032\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2009"
FOLD_TO = "''''''------   "
FOLD_DROP = "\u00ad\u200b\u200c\u200d\ufeff"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


CREATE = f"""
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE OR REPLACE FUNCTION scr_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT lower(public.unaccent('public.unaccent'::regdictionary,
        translate(value, {_quote(FOLD_FROM + FOLD_DROP)}, {_quote(FOLD_TO)})))
$fn$;
"""
DROP = "DROP FUNCTION IF EXISTS scr_fold(text);"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("scr_portal", "0014_role_administration")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("download", "Downloaded"),
                    ("export", "Exported"),
                    ("print", "Printed"),
                    ("invite", "Invited to the portal"),
                    ("grant", "Given a role"),
                    ("revoke", "Role taken away"),
                    ("search", "Found in a search"),
                ],
                max_length=10,
            ),
        ),
    ]
