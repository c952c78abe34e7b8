"""The kernel's ConcurrentTransitionMixin (scr_portal.models.fsm): the state fields it keeps per class are
the ones upstream finds, and a save from a stale state is still refused."""

import django_fsm
import pytest
from django.apps import apps
from django_fsm import ConcurrentTransition, FSMFieldMixin

from scr_portal.models.fsm import ConcurrentTransitionMixin

from ..referrals.factories import submitted


def test_every_concurrent_state_machine_uses_the_kernel_mixin_and_its_fields():
    machines = [
        model for model in apps.get_models() if issubclass(model, django_fsm.ConcurrentTransitionMixin)
    ]
    assert len(machines) > 5
    for model in machines:
        assert issubclass(model, ConcurrentTransitionMixin), model
        upstream = [field for field in model._meta.fields if isinstance(field, FSMFieldMixin)]
        assert list(model().state_fields) == upstream, model


@pytest.mark.django_db
def test_a_save_from_a_stale_state_is_refused(board_a, manager_a):
    referral = submitted(board=board_a, author=manager_a)
    stale = type(referral).objects.get(pk=referral.pk)
    type(referral).objects.filter(pk=referral.pk).update(state="agency_checks")
    with pytest.raises(ConcurrentTransition):
        stale.save()
