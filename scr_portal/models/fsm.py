"""A django-fsm transition the apps' models repeat: one that only moves the state."""

from django_fsm import transition


def move(state, name: str, source, target):
    """The transition `name` from `source` to `target` that sets no field. Its service does the rest (lock,
    permission, guard, log: scr_portal/transitions.py). Assign it to an attribute called `name`."""

    def moved(self) -> None:
        pass

    moved.__name__ = moved.__qualname__ = name
    return transition(field=state, source=source, target=target)(moved)
