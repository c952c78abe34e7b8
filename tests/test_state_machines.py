"""Every django-fsm state machine, read from django-fsm itself (issue 16): a state that is not final has a
transition out, and every final state is declared, once, in the model's `FINAL_STATES` next to its field
(scr_portal/models/fsm.py). Change-history copies (pghistory events) carry the field but are no machine."""

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin
from pghistory.models import Event


def _machines() -> list[tuple[type, object]]:
    return [
        (model, field)
        for model in apps.get_models()
        if not issubclass(model, Event)
        for field in model._meta.concrete_fields
        if isinstance(field, FSMFieldMixin)
    ]


def _states_with_a_way_out(model, field) -> set[str]:
    states = {value for value, _ in field.choices}
    out: set[str] = set()
    for transition in field.get_all_transitions(model):
        if transition.source == "*":
            out |= states
        elif transition.source == "+":
            out |= states - {transition.target}
        else:
            out.add(transition.source)
    return out


MACHINES = _machines()


def test_the_machines_are_found():
    labels = {model._meta.label for model, _ in MACHINES}
    assert {"referrals.Referral", "reviews.Review", "imr.IMR", "scr_portal.Deadline"} <= labels


@pytest.mark.parametrize(("model", "field"), MACHINES, ids=[f"{m._meta.label}.{f.name}" for m, f in MACHINES])
def test_no_state_traps_and_final_states_are_declared(model, field):
    assert sum(isinstance(f, FSMFieldMixin) for f in model._meta.concrete_fields) == 1, (
        "FINAL_STATES names the states of the model's one state field"
    )
    declared = model.__dict__.get("FINAL_STATES")
    assert declared is not None, f"{model._meta.label} declares no FINAL_STATES next to its state field"
    states = {value for value, _ in field.choices}
    assert set(declared) <= states, f"not states of {model._meta.label}: {set(declared) - states}"
    trapped = states - _states_with_a_way_out(model, field) - set(declared)
    assert not trapped, f"{model._meta.label}: no transition out of {sorted(trapped)}, and not declared final"
