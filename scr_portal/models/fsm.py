"""A django-fsm transition the apps' models repeat: one that only moves the state.

Every model with a django-fsm field declares, next to the field, `FINAL_STATES`: the states where its
work ends. Every other state must have a transition out, so nothing is trapped (tests/test_state_machines.py
reads each machine from django-fsm and checks both)."""

from django_fsm import transition


def move(state, name: str, source, target):
    """The transition `name` from `source` to `target` that sets no field. Its service does the rest (lock,
    permission, guard, log: scr_portal/transitions.py). Assign it to an attribute called `name`."""

    def moved(self) -> None:
        pass

    moved.__name__ = moved.__qualname__ = name
    return transition(field=state, source=source, target=target)(moved)
