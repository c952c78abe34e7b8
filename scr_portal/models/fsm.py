"""The django-fsm pieces the apps' models share: the concurrent-transition mixin and a transition that only
moves the state.

Every model with a django-fsm field declares, next to the field, `FINAL_STATES`: the states where its
work ends. Every other state must have a transition out, so nothing is trapped (tests/test_state_machines.py
reads each machine from django-fsm and checks both)."""

import django_fsm
from django_fsm import FSMFieldMixin, transition


class ConcurrentTransitionMixin(django_fsm.ConcurrentTransitionMixin):
    """django-fsm's mixin with the model's state fields looked up once per class. Upstream filters every
    field of the model on each instantiation (to remember the initial states), which was a large share of
    the CPU time of the pages and reports that build hundreds of instances. Saving still refuses a
    concurrent transition exactly as upstream does."""

    @property
    def state_fields(self):
        cls = type(self)
        fields = cls.__dict__.get("_fsm_state_fields")
        if fields is None:
            fields = tuple(field for field in self._meta.fields if isinstance(field, FSMFieldMixin))
            cls._fsm_state_fields = fields
        return fields


def move(state, name: str, source, target):
    """The transition `name` from `source` to `target` that sets no field. Its service does the rest (lock,
    permission, guard, log: scr_portal/transitions.py). Assign it to an attribute called `name`."""

    def moved(self) -> None:
        pass

    moved.__name__ = moved.__qualname__ = name
    return transition(field=state, source=source, target=target)(moved)
