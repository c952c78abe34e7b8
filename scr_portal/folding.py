"""Accent- and case-insensitive matching in the database, with the anonymiser's folding
(scr_portal.documents.identifiers.fold): "zoe" finds "Zoë", "o'brien" finds "O’Brien".

`scr_fold(text)` is a database function on both engines: on PostgreSQL an SQL function over the `unaccent`
extension (migration 0015), on the embedded SQLite default the Python `fold` itself, registered on each
new connection. The query is folded by `fold` first, then by `scr_fold` like the column, so a letter the
two spell differently (unaccent turns "ł" into "l", Unicode leaves it) still meets itself. On PostgreSQL
a near miss also matches by trigram word similarity (pg_trgm): "Aylah" finds "Ayla"."""

from django.db import connection as default_connection
from django.db.models import F, FloatField, Func, Q, Value
from django.db.models.lookups import Contains, GreaterThanOrEqual

from .documents.identifiers import fold

# Shorter queries would be "similar" to too much; a reference or a name part is longer.
SIMILAR_FROM_LENGTH = 4
SIMILARITY = 0.6


class Fold(Func):
    function = "scr_fold"
    arity = 1


class WordSimilarity(Func):
    function = "word_similarity"
    arity = 2


def register_sqlite_fold(sender, connection, **kwargs) -> None:
    """connection_created: give SQLite the same `scr_fold` as PostgreSQL's."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("scr_fold", 1, _sqlite_fold, deterministic=True)


def _sqlite_fold(value):
    return None if value is None else fold(value)


def folded_match(path: str, query: str, *, near: bool = False, connection=default_connection) -> Q:
    """Rows whose `path` (a lookup path such as "referral__child_name") contains `query`, folded, or, for
    a name (`near`) on PostgreSQL, is a near miss of it. References are never near: "…-0001" is not
    "…-0002"."""
    folded = fold(" ".join(query.split()))
    column = Fold(F(path))
    match = Q(Contains(column, Fold(Value(folded))))
    if near and connection.vendor == "postgresql" and len(folded) >= SIMILAR_FROM_LENGTH:
        similarity = WordSimilarity(Fold(Value(folded)), column, output_field=FloatField())
        match |= Q(GreaterThanOrEqual(similarity, SIMILARITY))
    return match
