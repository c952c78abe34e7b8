"""The change history's move from the kernel into the apps (issue 18; referrals 0003, reviews 0008, imr 0004,
scr_portal 0009) loses nothing: a database built at the migrations before the move, holding cases and their
history (written by the triggers and directly through the old event models), is migrated forward, and every
case row and every history row is found through the event models in their apps; the triggers, untouched by
the move, go on writing history.

django-test-migrations drops every table and migrates from nothing, as the owner role (the runtime role
cannot create tables); its teardown migrates to the latest again (triggers and grants reinstalled)."""

import datetime as dt
import uuid

import pgtrigger
import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from imr.models import IMR
from referrals.models import FamilyMember, Referral
from reviews.models import Review
from scr_portal.db_roles import as_owner
from scr_portal.history import history_for
from scr_portal.models.tracking import event_models

# The last migration of each app before the move.
BEFORE = [
    ("scr_portal", "0011_publication_event_override"),
    ("referrals", "0003_agency_check_unanswered"),
    ("reviews", "0008_publication_evaluation_override"),
    ("imr", "0004_deadline_closing"),
]
PGH_FIELDS = ("pgh_id", "pgh_label", "pgh_obj_id", "pgh_context_id")


def _install_triggers(*models) -> None:
    """The triggers of the tracked models, as `migrate` installs them (PGTRIGGER_INSTALL_ON_MIGRATE): their
    SQL names the event table, which the move keeps."""
    for model, trigger in pgtrigger.registered():
        if model in models:
            trigger.install(model)


def _uninstall_triggers(*models) -> None:
    for model, trigger in pgtrigger.registered():
        if model in models:
            trigger.uninstall(model)


def _write_event(events, obj, label: str, context_id) -> None:
    events.objects.create(
        pgh_label=label,
        pgh_obj_id=obj.pk,
        pgh_context_id=context_id,
        **{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields},
    )


def _cases(state):
    """A board, a referral with a family row, its review and an IMR, through the models of `state`."""
    get = state.apps.get_model
    board = get("scr_portal", "Board").objects.create(name="Alpha Board", short_name="ALSCB")
    agency = get("scr_portal", "Agency").objects.create(board=board, name="Alpha Police", kind="police")
    user = get("scr_portal", "User").objects.create(email="m@example.org", full_name="Alice Manager")
    referral = get("referrals", "Referral").objects.create(board=board, reference="ALSCB/1", created_by=user)
    family = get("referrals", "FamilyMember").objects.create(
        referral=referral, name="Child A", relationship="child"
    )
    review = get("reviews", "Review").objects.create(
        board=board,
        referral=referral,
        reference="ALSCB/SCR/1",
        review_type="scr",
        decision_date=dt.date(2026, 11, 2),
        created_at=timezone.now(),
        created_by=user,
    )
    imr = get("imr", "IMR").objects.create(
        review=review, agency=agency, commissioned_at=timezone.now(), commissioned_by=user
    )
    return {"scr_portal.Board": board, "scr_portal.Agency": agency, "scr_portal.User": user} | {
        f"{obj._meta.app_label}.{type(obj).__name__}": obj for obj in (referral, family, review, imr)
    }


def _event_rows(model) -> set[tuple]:
    return set(model.objects.values_list(*PGH_FIELDS))


@pytest.mark.django_db(transaction=True)
def test_cases_and_their_history_survive_the_move_of_the_event_models(migrator):
    with as_owner():
        # Back to the migrations before the move: exactly the move's migrations (and nothing the other apps
        # added meanwhile) are unapplied, as on a database that was deployed just before it.
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE, at_end=True)
        assert ("scr_portal", "referralevent") in old.models
        assert ("referrals", "referralevent") not in old.models
        # The code's triggers are written for today's columns, which later migrations may have added to the
        # tracked tables: at the old state the history rows are written through the old event models.
        _uninstall_triggers(*event_models())
        cases = _cases(old)
        referral = cases["referrals.Referral"]
        # Every event table, read through the event models of the old state (all in the kernel's app). Models
        # tracked since the move (role memberships, the communications plan) had no history to carry over.
        old_events = {
            tracked: old.apps.get_model("scr_portal", event._meta.object_name)
            for tracked, event in event_models().items()
            if ("scr_portal", event._meta.model_name) in old.models
        }
        context = old.apps.get_model("pghistory", "Context").objects.create(
            id=uuid.uuid4(), metadata={"url": "/before-the-move/"}
        )
        for label, obj in cases.items():
            tracked = apps.get_model(label)
            if tracked in old_events:
                _write_event(old_events[tracked], obj, "insert", context.pk)
        type(referral).objects.filter(pk=referral.pk).update(reference="ALSCB/2")
        referral.refresh_from_db()
        _write_event(old_events[Referral], referral, "update", context.pk)
        # A row written straight into an old event model with no request (as a data migration could).
        _write_event(old_events[Referral], referral, "imported", None)
        ContentType = old.apps.get_model("contenttypes", "ContentType")
        old_type, _ = ContentType.objects.get_or_create(app_label="scr_portal", model="referralevent")
        before = {tracked: _event_rows(model) for tracked, model in old_events.items()}
        assert {label for _, label, *_ in before[Referral]} == {"insert", "update", "imported"}
        assert all(before[tracked] for tracked in (Referral, FamilyMember, Review, IMR))

        new = migrator.apply_tested_migration(MigrationLoader(connection).graph.leaf_nodes())

        assert ("scr_portal", "referralevent") not in new.models
        for label, obj in cases.items():
            assert new.apps.get_model(label).objects.filter(pk=obj.pk).exists(), label
        for tracked, event in event_models().items():
            # Each app's event models, in the migrated state and in the code (the registry the kernel reads).
            assert event._meta.app_label == tracked._meta.app_label
            if tracked not in old_events:
                continue
            assert event._meta.db_table == old_events[tracked]._meta.db_table
            in_state = new.apps.get_model(event._meta.label)
            assert _event_rows(in_state) == _event_rows(event) == before[tracked], event._meta.label
        assert ContentType.objects.get(pk=old_type.pk).app_label == "referrals"

        live = Referral.objects.get(pk=referral.pk)
        changes = history_for(kind="referral", obj=live)
        assert {(c.what, c.label) for c in changes} >= {
            ("Referral", "insert"),
            ("Referral", "update"),
            ("Referral", "imported"),
            ("FamilyMember", "insert"),
        }
        assert {c.url for c in changes if c.label != "imported"} == {"/before-the-move/"}

        # Today's triggers (as `migrate` installs them) write to the moved models' tables.
        _install_triggers(*event_models())
        Referral.objects.filter(pk=referral.pk).update(reference="ALSCB/3")
        after = event_models()[Referral].objects.filter(pgh_obj_id=referral.pk).order_by("-pgh_id").first()
        assert (after._meta.label, after.pgh_label, after.reference) == (
            "referrals.ReferralEvent",
            "update",
            "ALSCB/3",
        )
        statuses = {
            trigger.get_installation_status(model)[0]
            for model, trigger in pgtrigger.registered()
            if model is Referral
        }
        assert statuses == {"INSTALLED"}
