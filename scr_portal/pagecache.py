"""A cache of whole read-only pages that is never stale (issue 21, docs/adr/0010-page-cache.md).

The busiest pages (home, the lists, the deadline dashboard) are mostly re-reads of data that has not changed
since the person's last visit, yet each costs 10–60 ms of ORM and template work. A view marked with
`@cached_page` is stored per person, board, address and day, together with the database tables it read
and the version of each. Every write to a table, from any process that goes through Django's database
connection (web, Celery, management commands; `QuerySet.update()` and raw SQL included), gives that table a
new version once it commits, so a stored page is served only while every table it read is unchanged.
The idea is django-cachalot's table-level invalidation, applied to the rendered page rather than to each
query, because the profile shows the ORM's query building and the templates, not PostgreSQL, cost the time.

Safe by construction rather than by care:
- a request that writes anything, or whose transaction holds uncommitted writes, is neither served nor
  stored; nor is a page that read a table written by database functions or triggers alone (change history,
  the access log), nor one that showed a flash message, nor one that was built while another write committed;
- the CSRF token and the CSP nonce are taken out before storing and this request's put back on serving;
- entries also expire after PAGE_CACHE_SECONDS, for writes made outside Django (psql).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import zlib
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.core.cache import caches
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone

logger = logging.getLogger(__name__)

ATTR = "page_cache"
# Tables whose writes change nothing a cached page shows: the session's own row (its inputs, the person and
# the board, are in the key).
IGNORED_TABLES = frozenset({"django_session"})
_WRITE = re.compile(r'(?:^|;)\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_TRUNCATE = re.compile(r"(?:^|;)\s*TRUNCATE\b(.*)", re.IGNORECASE | re.DOTALL)
_USER_UPDATE = re.compile(r'UPDATE\s+"scr_portal_user"\s+SET\s+(.*?)\s+WHERE\s', re.IGNORECASE | re.DOTALL)
USER_TABLE = "scr_portal_user"
_IDENTIFIER = re.compile(r'"(\w+)"')
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# Fields of the person's own row that no cached page shows or decides on: the sign-in time, the password
# (in the key through the session hash) and the reminder setting (shown only on its own page).
USER_FIELDS_NOT_SHOWN = frozenset({"last_login", "password", "reminder_delivery"})
CSRF_MARK = "\x00csrf\x00"
NONCE_MARK = "\x00nonce\x00"
GLOBAL = "*"


def cached_page(view):
    """Marks a read-only GET view as one whose page may be served from the cache (see the module)."""
    setattr(view, ATTR, True)
    return view


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", False))


def _store():
    return caches[settings.PAGE_CACHE_ALIAS]


def _prefix() -> str:
    # One database's pages and versions never meet another's (test databases share a Redis).
    return f"pc:{connection.settings_dict['NAME']}:"


def _version_key(table: str) -> str:
    return f"{_prefix()}v:{table}"


# --------------------------------------------------------------------------------------------- writes


@cache
def known_tables() -> frozenset[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return frozenset(tables)


@cache
def untracked_tables() -> frozenset[str]:
    """Tables also written by triggers or database functions, which the connection never sees: a page that
    reads one is not stored."""
    import pghistory.models

    tables = {"pghistory_context"}
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event) or model._meta.db_table == "scr_portal_accesslog":
            tables.add(model._meta.db_table)
    return frozenset(tables)


def written_tables(sql: str) -> set[str]:
    tables = set(_WRITE.findall(sql))
    if USER_TABLE in tables and _only_columns_not_shown(sql):
        tables.discard(USER_TABLE)
    truncate = _TRUNCATE.search(sql)
    if truncate:
        tables.update(_IDENTIFIER.findall(truncate.group(1)))
    # No page that read an untracked table is stored, so their writes need no new version.
    return tables - IGNORED_TABLES - untracked_tables()


def _only_columns_not_shown(sql: str) -> bool:
    """An UPDATE of the people table that sets only USER_FIELDS_NOT_SHOWN (a sign-in's last_login, a
    change of reminder setting): no stored page is stale."""
    updates = _USER_UPDATE.findall(sql)
    if len(updates) != len(re.findall(r'(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"scr_portal_user"', sql)):
        return False  # an INSERT or DELETE as well, or an UPDATE this cannot read
    columns = {column for update in updates for column in re.findall(r'"(\w+)" =', update)}
    return bool(columns) and columns <= _user_columns_not_shown()


@cache
def _user_columns_not_shown() -> frozenset[str]:
    from django.contrib.auth import get_user_model

    meta = get_user_model()._meta
    return frozenset(meta.get_field(name).column for name in USER_FIELDS_NOT_SHOWN)


def bump(tables) -> None:
    """New versions for `tables` (and the global one): every page stored from their old rows is stale."""
    if not tables or not enabled():
        return
    keys = [_version_key(t) for t in (*tables, GLOBAL)]
    try:
        _store().set_many({key: secrets.token_hex(8) for key in keys}, timeout=None)
    except Exception:
        # A full or unreachable cache: without its version a table's pages are never served again.
        try:
            _store().delete_many(keys)
        except Exception:
            logger.exception(
                "Page cache: new versions for %s not recorded; their pages may be served for up to %s s",
                sorted(tables),
                settings.PAGE_CACHE_SECONDS,
            )


class _PendingBump:
    """The tables one transaction has written, given new versions when (and only if) it commits."""

    page_cache_bump = True

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self):
        bump(self.tables)


def pending_bump(conn) -> _PendingBump | None:
    for _savepoints, func, _robust in conn.run_on_commit:
        if getattr(func, "page_cache_bump", False):
            return func
    return None


def _note_write(conn, tables: set[str]) -> None:
    if conn.in_atomic_block:
        pending = pending_bump(conn)
        if pending is None:
            pending = _PendingBump()
            conn.on_commit(pending)
        pending.tables |= tables
    else:
        bump(tables)  # autocommit: the statement has committed already


class _Recorder:
    """What one request's SQL read and wrote."""

    def __init__(self):
        self.statements: list[str] = []
        self.wrote = False

    def tables_read(self) -> set[str]:
        found = set()
        for sql in self.statements:
            found.update(_IDENTIFIER.findall(sql))
        return (found & known_tables()) - IGNORED_TABLES


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    conn = context["connection"]
    written = written_tables(sql) if sql[:6].upper() != "SELECT" or ";" in sql else set()
    if written:
        _note_write(conn, written)
    recorder = getattr(conn, "page_cache_recorder", None)
    if recorder is not None:
        recorder.statements.append(sql)
        recorder.wrote = recorder.wrote or bool(written)
    return result


@contextmanager
def unrecorded():
    """What runs inside is not counted among the page's reads and writes: the access log's own bookkeeping
    after a case page (scr_portal.audit.middleware), which changes nothing the page shows."""
    recorder = getattr(connection, "page_cache_recorder", None)
    connection.page_cache_recorder = None
    try:
        yield
    finally:
        connection.page_cache_recorder = recorder


def watch_connection(sender, connection, **kwargs) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def install() -> None:
    connection_created.connect(watch_connection, dispatch_uid="scr_portal_page_cache_watch")
    for conn in connections.all(initialized_only=True):
        watch_connection(None, conn)


# ---------------------------------------------------------------------------------------------- pages


def _next_deadline_moment(request) -> dt.datetime:
    """When a page stored now may first be wrong without any write: the next moment one of the person's
    open deadlines falls due, and at the latest PAGE_CACHE_SECONDS from now."""
    from .clock.selectors import next_fall_due

    now = timezone.now()
    latest = now + dt.timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    boards = {board.pk for board in getattr(request, "boards", [])}
    return next_fall_due(request.user, board_ids=boards, after=now, before=latest) or latest


def _is_cacheable(request) -> bool:
    if request.method != "GET" or not enabled():
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, ATTR, False)


@cache
def _own_row_fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if f.name not in USER_FIELDS_NOT_SHOWN)


def _page_key(request) -> str:
    board = getattr(request, "board", None)
    user = request.user
    parts = [
        str(user.pk),
        user.get_session_auth_hash(),
        *(str(field.value_from_object(user)) for field in _own_row_fields(user._meta.model)),
        str(board.pk if board else ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    return f"{_prefix()}p:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _servable(request) -> bool:
    user = getattr(request, "user", None)
    return (
        user is not None
        and user.is_authenticated
        and pending_bump(connection) is None
        and not _has_messages(request)
    )


def _versions(keys: list[str]) -> dict[str, str]:
    """The versions under `keys`, a new one given to each table not written since the cache began."""
    store = _store()
    found = store.get_many(keys)
    if len(found) < len(keys):
        for key in set(keys) - set(found):
            store.add(key, secrets.token_hex(8), timeout=None)
        found = store.get_many(keys)
    return found


def _global_version() -> str | None:
    try:
        return _versions([_version_key(GLOBAL)]).get(_version_key(GLOBAL))
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None


class PageCacheMiddleware:
    """Serves and stores the pages of views marked @cached_page. Placed just after the session middleware,
    so the tables that the sign-in and board middleware read count among a page's tables too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable(request):
            return self.get_response(request)
        # The person's own row is read here, before recording starts: it is in the key (_page_key), so a
        # change to another person's row (a sign-in's last_login) leaves this person's pages alone.
        request._cached_user = auth.get_user(request)
        recorder = _Recorder()
        connection.page_cache_recorder = recorder
        try:
            request.page_cache_start = _global_version()
            response = self.get_response(request)
        finally:
            connection.page_cache_recorder = None
        if getattr(request, "page_cache_hit", False):
            return response
        if self._storable(request, response, recorder):
            try:
                self._save(request, response, recorder)
            except Exception:
                logger.warning("Page cache: page not stored", exc_info=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, ATTR, False) or not hasattr(request, "page_cache_start"):
            return None
        if request.page_cache_start is None or not _servable(request):
            return None
        try:
            entry = self._entry(request)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            return None
        if entry is None:
            return None
        request.page_cache_hit = True
        body = zlib.decompress(entry["body"]).decode()
        if CSRF_MARK in body:
            body = body.replace(CSRF_MARK, get_token(request))
        if NONCE_MARK in body:
            body = body.replace(NONCE_MARK, str(request.csp_nonce))
        response = HttpResponse(body, content_type=entry["content_type"])
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _entry(request) -> dict | None:
        store = _store()
        entry = store.get(_page_key(request))
        if entry is None or timezone.now().timestamp() >= entry["valid_until"]:
            return None
        tables = entry["versions"]
        current = store.get_many([_version_key(t) for t in tables])
        if any(current.get(_version_key(t)) != version for t, version in tables.items()):
            return None
        return entry

    @staticmethod
    def _storable(request, response, recorder: _Recorder) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not recorder.wrote
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Disposition")
            and _servable(request)
            and request.page_cache_start is not None
        )

    @staticmethod
    def _save(request, response, recorder: _Recorder) -> None:
        tables = recorder.tables_read()
        if tables & untracked_tables():
            return
        keys = {t: _version_key(t) for t in (*tables, GLOBAL)}
        current = _versions(list(keys.values()))
        if current.get(keys[GLOBAL]) != request.page_cache_start:
            return  # something was written while the page was built
        body = response.content.decode(response.charset)
        body = _CSRF_INPUT.sub(rf"\g<1>{CSRF_MARK}\g<2>", body)
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:
            body = body.replace(str(nonce), NONCE_MARK)
        entry = {
            "valid_until": _next_deadline_moment(request).timestamp(),
            "body": zlib.compress(body.encode(), 1),  # a tenth of the size, for 0.1 ms
            "content_type": response["Content-Type"],
            "versions": {t: current[keys[t]] for t in tables},
        }
        _store().set(_page_key(request), entry, timeout=settings.PAGE_CACHE_SECONDS)
