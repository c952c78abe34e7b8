"""Personas of the reviews tests, on top of tests/conftest.py: the panel chair and overview author from
outside the board, IMR authors at agencies X and Y, a review of board A in set-up, and time frozen at
NOW. Uploaded files go to a temporary folder."""

import pytest

from reviews.models import OfstedElement
from scr_portal.models import Role

from ..factories import frozen_at, persona
from .factories import NOW, Journey, decided_review, independent_person

frozen_time = frozen_at(NOW)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ofsted_elements(db):
    """The Ofsted elements come from a data migration; a flushing test elsewhere may have emptied them."""
    if not OfstedElement.objects.exists():
        import importlib

        from django.apps import apps

        importlib.import_module("reviews.migrations.0004_seed_ofsted_elements").seed(apps, None)
    return list(OfstedElement.objects.all())


@pytest.fixture
def review(board_a, chair_a, manager_a, agency_x, agency_y):
    return decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x, agency_y])


def outsider(full_name: str, email: str):
    """A fixture for someone from outside the board."""

    @pytest.fixture
    def person(db):
        return independent_person(full_name=full_name, email=email)

    return person


panel_chair = outsider("Pat Chair-Independent", "pat@independent.example")
overview_author = outsider("Olu Author-Independent", "olu@independent.example")
imr_author_x = outsider("Xena IMR-Author", "xena@police.example")
imr_author_y = outsider("Yuri IMR-Author", "yuri@hospital.example")
monitor_a = persona(Role.SUBCOMMITTEE_MEMBER, "Sue Subcommittee")
monitor_b = persona(Role.SUBCOMMITTEE_MEMBER, "Bea Subcommittee", board="board_b")


@pytest.fixture
def journey(
    review,
    manager_a,
    chair_a,
    agency_x,
    agency_y,
    panel_chair,
    overview_author,
    imr_author_x,
    imr_author_y,
    ofsted_elements,
):
    return Journey(
        review,
        manager=manager_a,
        chair=chair_a,
        agencies=[agency_x, agency_y],
        panel_chair=panel_chair,
        author=overview_author,
        imr_authors=[imr_author_x, imr_author_y],
    )
