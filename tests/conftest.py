"""Personas shared by every test: board A with its business manager, chair, sub-committee member, auditor
and agency contacts of two agencies; board B with its own business manager."""

from contextlib import ExitStack

import pytest
from django.test import TransactionTestCase

from scr_portal.db_roles import as_owner
from scr_portal.models import Role
from scr_portal.reference_data import ensure_reference_data

from .factories import AgencyFactory, BoardFactory, persona


@pytest.fixture
def board_a(db):
    return BoardFactory(name="Alpha Local Safeguarding Children Board", short_name="ALSCB")


@pytest.fixture
def board_b(db):
    return BoardFactory(name="Beta Local Safeguarding Children Board", short_name="BLSCB")


@pytest.fixture
def agency_x(board_a):
    return AgencyFactory(board=board_a, name="Alpha Police")


@pytest.fixture
def agency_y(board_a):
    return AgencyFactory(board=board_a, name="Alpha Hospitals NHS Trust")


manager_a = persona(Role.BUSINESS_MANAGER, "Alice Manager")
chair_a = persona(Role.LSCB_CHAIR, "Carol Chair")
contact_x = persona(Role.AGENCY_CONTACT, "Xavier Contact", agency="agency_x")
contact_y = persona(Role.AGENCY_CONTACT, "Yasmin Contact", agency="agency_y")
manager_b = persona(Role.BUSINESS_MANAGER, "Bob Manager", board="board_b")
auditor_a = persona(Role.AUDITOR, "Audrey Auditor")


@pytest.fixture
def client_as(client):
    """Sign the test client in as a user (the second factor is taken as passed)."""

    def sign_in(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (board closure days are cached by board id)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def reference_data(request):
    """Deadline rules and criteria come from data migrations; a test that flushes the database (live
    server, real worker) empties them, so put them back for any test that touches the database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if marker or transactional or "db" in request.fixturenames:
        request.getfixturevalue("transactional_db" if transactional else "db")
        ensure_reference_data()


# --- Database roles ---------------------------------------------------------------------------------
# The application code of every test connects as the runtime role (DATABASE_URL), as in production, so a
# missing grant fails here. Only creating the test database (and migrating it), dropping it, and emptying
# the tables after a transactional test (Django's `flush`, which TRUNCATEs) run as the owner
# (DATABASE_OWNER_URL; scr_portal/db_roles.py).


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb
):
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), ExitStack() as owner:
        for alias in aliases:
            owner.enter_context(as_owner(alias))
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    yield
    if not keepdb:
        with django_db_blocker.unblock(), ExitStack() as owner:
            for alias in aliases:
                owner.enter_context(as_owner(alias))
            teardown_databases(db_cfg, verbosity=verbosity)


_flush_as_runtime = TransactionTestCase._fixture_teardown


def _flush_as_owner(self):
    with ExitStack() as owner:
        for alias in self._databases_names(include_mirrors=False):
            owner.enter_context(as_owner(alias))
        _flush_as_runtime(self)


TransactionTestCase._fixture_teardown = _flush_as_owner


@pytest.fixture
def xlsx_export(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """Ask for the integrated chronology's spreadsheet as a page would (a POST), let the documents worker's
    task build it (the message is taken off as the broker would get it, on the documents queue), and
    return the job page's URL and the download response."""
    from django.urls import reverse

    from imr.tasks import export_chronology_xlsx_task
    from scr_portal.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    sent = []
    monkeypatch.setattr(export_chronology_xlsx_task, "apply_async", lambda **kwargs: sent.append(kwargs))

    def export(client, review, query=None):
        path = reverse("integrated_chronology_export", args=[review.pk, "xlsx"])
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(path + (f"?{query}" if query else ""))
        assert asked.status_code == 302, asked.status_code
        route = app.amqp.router.route({}, export_chronology_xlsx_task.name)
        assert route["queue"].name == settings.DOCUMENTS_QUEUE
        message = sent.pop()
        assert export_chronology_xlsx_task(*message["args"]) == "ready"
        return asked["Location"], client.get(asked["Location"] + "download/")

    return export
