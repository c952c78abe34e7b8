"""Issue 19: people outside the board's staff find their work from their home page alone, and act on it —
the panel chair from another board (who quality-assures an IMR), the overview author (who uploads a draft)
and the IMR author (who starts the IMR) — in the browser, with axe-core on every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from imr.models import IMR, IMRState
from imr.permissions import AUTHOR_PERMS
from portal_site.demo import DEMO_PASSWORD
from referrals.models import AgencyCheck, AgencyCheckState
from reviews.models import PanelMembership, PanelRole, Review, ReviewState
from reviews.services import sync_review_perms
from scr_portal.models import Role
from scr_portal.services import membership_grant

from ..factories import AgencyFactory, BoardFactory, UserFactory, member
from ..imr.factories import review_ready
from ..reviews.factories import PDF
from .test_imr_journey import accept_the_imr
from .test_roles_from_home_journey import go_home

pytestmark = pytest.mark.django_db(transaction=True)


def person(email: str, full_name: str):
    user = UserFactory(email=email, full_name=full_name)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def on_panel(review, user, role, manager):
    PanelMembership.objects.create(
        review=review,
        user=user,
        role=role,
        organisation="Independent Reviews Ltd",
        post="Independent reviewer",
        appointed_at=timezone.now(),
        appointed_by=manager,
    )
    sync_review_perms(user=user, review=review)


@pytest.fixture
def cases(db):
    board = BoardFactory(name="Northshire LSCB", short_name="NLSCB")
    other = BoardFactory(name="Southshire LSCB", short_name="SLSCB")
    manager = member(board=board, role=Role.BUSINESS_MANAGER)
    police = AgencyFactory(board=board, name="Northshire Police")
    review = review_ready(board=board, created_by=manager)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.PRESENTATION_HELD)
    chair = person("pat@southshire.example", "Pat Chair-Elsewhere")
    membership_grant(user=chair, board=other, role=Role.SUBCOMMITTEE_MEMBER)
    on_panel(review, chair, PanelRole.INDEPENDENT_CHAIR, manager)
    author = person("olu@independent.example", "Olu Author-Independent")
    on_panel(review, author, PanelRole.OVERVIEW_AUTHOR, manager)
    writer = person("xena@police.example", "Xena IMR-Author")
    AgencyCheck.objects.create(
        referral=review.referral,
        agency=police,
        state=AgencyCheckState.INVOLVED,
        sent_at=timezone.now() - dt.timedelta(days=30),
        sent_by=manager,
        records_secured_on=timezone.localdate() - dt.timedelta(days=20),
    )
    submitted = IMR.objects.create(
        review=review,
        agency=AgencyFactory(board=board, name="Northshire Hospitals"),
        state=IMRState.SUBMITTED,
        commissioned_at=timezone.now(),
        commissioned_by=manager,
    )
    to_write = IMR.objects.create(
        review=review,
        agency=police,
        state=IMRState.AUTHOR_NOMINATED,
        author=writer,
        records_secured_on=timezone.localdate() - dt.timedelta(days=20),
        commissioned_at=timezone.now(),
        commissioned_by=manager,
    )
    for codename in AUTHOR_PERMS:
        assign_perm(codename, writer, to_write)
    return {"review": review, "board": board, "submitted": submitted, "to_write": to_write}


def test_panel_chair_from_another_board_finds_the_imr_to_quality_assure(page, axe, sign_in_as, cases):
    sign_in_as("pat@southshire.example")
    axe("the panel chair's home")
    work = page.get_by_test_id("work-queue")
    assert "Northshire LSCB" in work.inner_text()
    work.get_by_role("link", name="Quality-assure the IMR").click()
    page.wait_for_url(re.compile(rf"/imr/{cases['submitted'].pk}/quality-assurance/"))
    axe("quality assurance, from the home page")
    accept_the_imr(page)
    axe("the IMR, accepted")
    assert IMR.objects.get(pk=cases["submitted"].pk).state == IMRState.ACCEPTED
    go_home(page)
    page.get_by_test_id("waiting-for").get_by_role("link").first.click()
    page.wait_for_url(re.compile(rf"/reviews/{cases['review'].pk}/$"))
    axe("the review, from the home page")


def test_overview_author_finds_the_overview_report_and_uploads_a_draft(
    page, axe, sign_in_as, cases, private_media
):
    sign_in_as("olu@independent.example")
    axe("the overview author's home")
    page.get_by_test_id("work-queue").get_by_role("link", name="Write the overview report").click()
    page.wait_for_url(re.compile(rf"/reviews/{cases['review'].pk}/reports/overview/"))
    axe("the overview report, from the home page")
    page.get_by_role("link", name="Upload a new version").click()
    axe("the upload form")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "overview.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    assert "Version 1" in page.get_by_test_id("version").first.inner_text()
    axe("the overview report with its first draft")


def test_imr_author_finds_their_imr_and_starts_it_with_the_date_prefilled(page, axe, sign_in_as, cases):
    sign_in_as("xena@police.example")
    assert page.get_by_test_id("current-board").inner_text() == "Northshire LSCB"
    axe("the IMR author's home")
    page.get_by_test_id("work-queue").get_by_role("link", name="Start writing the IMR").click()
    axe("start the IMR, the records-secured date prefilled")
    page.get_by_role("button").filter(has_text=re.compile("Start|Continue|Save")).first.click()
    cases["to_write"].refresh_from_db()
    assert cases["to_write"].state == IMRState.IN_PREPARATION
