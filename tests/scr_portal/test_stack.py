from importlib import metadata

import pytest


@pytest.mark.parametrize("forbidden", ["django-fsm", "viewflow"])
def test_state_machines_use_django_fsm_2_and_not(forbidden):
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution(forbidden)


def test_django_fsm_2_provides_the_django_fsm_module():
    import django_fsm

    assert metadata.distribution("django-fsm-2")
    assert hasattr(django_fsm, "FSMField")


def test_django_is_the_5_2_lts():
    assert metadata.version("django").startswith("5.2.")
