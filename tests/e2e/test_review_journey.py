"""From a decided referral to publication in the browser: the business unit appoints the panel chair (an
appointment breaking a 'must' rule refused first) and the overview author, scopes the review and drafts
the terms of reference, which the LSCB Chair approves; IMRs (fixture rows until the IMR pages exist) are
commissioned; the briefing and presentation meetings are held; the overview author uploads the final
draft (a file that is not a document refused first); the IMR author confirms fair representation; the
LSCB Chair records adoption; the business unit records Ofsted's submission, evaluation and publication.
Each person works in their own browser context. axe-core checks every page visited."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from imr.models import IMR, IMRState
from portal_site.demo import DEMO_PASSWORD, demo_data_load
from reviews.models import Review, ReviewState
from scr_portal.clock.services import board_is_working_day, board_working_day
from scr_portal.models import Agency, Board, User

from ..referrals.factories import decide, recommended

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def person(email: str, full_name: str) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


def axe_on(axe, page, label: str) -> None:
    original, axe.page = axe.page, page
    try:
        axe(label)
    finally:
        axe.page = original


def review_as(page, sign_in_as, axe, email: str, review, label: str):
    """`page` signed in as `email`, on the review's page (checked by axe-core as `label`)."""
    sign_in_as(email, page)
    page.goto(f"/reviews/{review.pk}/")
    axe_on(axe, page, label)
    return page


def fill_date(page, group: str, day) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def answer(page, question: str, value: str = "No") -> None:
    page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(value, exact=True).check()


# The post and competences (by number) each kind of independent appointee declares in these journeys.
APPOINTEES = {
    "chair": ("Independent safeguarding consultant", ["2", "3", "4", "5"]),
    "author": ("Independent overview author", ["1", "2", "3", "4"]),
}


def declare(page, appointee: str, *, email: str, organisation: str, today) -> None:
    post, competences = APPOINTEES[appointee]
    page.get_by_label("Email address of the person appointed").fill(email)
    page.get_by_label("Post", exact=True).fill(post)
    page.get_by_label("Organisation", exact=True).fill(organisation)
    for question in (
        "member of an LSCB involved",
        "employed by an agency involved",
        "involvement with the child",
        "line manager of any practitioner",
    ):
        answer(page, question)
    fill_date(page, "Date of the declaration", today)
    for competence in competences:
        page.get_by_label(re.compile(rf"^{competence}\. ")).check()
    page.get_by_label("Evidence of the competences").fill("Two anonymised overview reports; a reference.")
    page.get_by_label("Professional indemnity confirmed").check()
    page.get_by_label("Supervision confirmed").check()
    page.get_by_label("Data-protection compliance confirmed").check()
    fill_date(page, "Date the contract was issued", today)


def next_step(page, axe, label: str) -> None:
    """Press the review page's next-step button, check the confirmation page, confirm."""
    page.get_by_test_id("next-step").click()
    axe_on(axe, page, f"step: {label}")
    page.get_by_role("button", name=label).click()
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    assert page.locator(".govuk-notification-banner--success").is_visible()


def ofsted_elements() -> None:
    """The elements Ofsted grades come from a data migration; an earlier test that flushed the database
    emptied them (scr_portal.reference_data restores only its own seeds)."""
    import importlib

    from django.apps import apps

    if not apps.get_model("reviews", "OfstedElement").objects.exists():
        importlib.import_module("reviews.migrations.0004_seed_ofsted_elements").seed(apps, None)


def test_a_review_from_the_decision_to_publication(page, new_page, axe, sign_in_as):
    demo_data_load()
    ofsted_elements()
    board = Board.objects.get(short_name="NLSCB")
    manager_user = User.objects.get(email="manager@northshire.example")
    chair_user = User.objects.get(email="chair@northshire.example")
    police = Agency.objects.get(board=board, name="Northshire Police")
    hospitals = Agency.objects.get(board=board, name="Northshire Hospitals NHS Trust")
    referral = recommended(
        board=board, author=manager_user, manager=manager_user, agencies=[police, hospitals]
    )
    decide(
        referral,
        actor=chair_user,
        reasons="The child died; agencies' working together is in question.",
        members_consulted="Police, health, children's social care",
        now=timezone.now(),
    )
    review = Review.objects.get(referral=referral)
    person("pat.chair@independent.example", "Pat Independent")
    person("olu.author@independent.example", "Olu Writer")
    imr_author = person("imr.police@northshire.example", "Ian Police-Author")
    today = timezone.localdate()

    # The business manager finds the review from the referral.
    sign_in_as("manager@northshire.example")
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_test_id("review-reference").get_by_role("link").click()
    assert page.get_by_test_id("state").inner_text() == "Set-up"
    assert "Statutory" in page.get_by_test_id("completion").inner_text()
    axe("review page in set-up")
    page.get_by_role("link", name="Reviews", exact=True).click()
    assert page.get_by_test_id("review-table").get_by_text(review.reference).is_visible()
    axe("review list")
    page.get_by_role("link", name=review.reference).click()

    # The panel chair: refused while they declare involvement in the case, then appointed.
    page.get_by_role("link", name="Appoint the panel").click()
    axe("panel, nobody appointed")
    page.get_by_role("link", name="Appoint the panel chair").click()
    axe("appointment form")
    declare(
        page,
        "chair",
        email="pat.chair@independent.example",
        organisation="Independent Reviews Ltd",
        today=today,
    )
    answer(page, "involvement with the child", "Yes")
    page.get_by_role("button", name="Appoint").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Whoever conducts the review must have had no involvement in the case" in summary
    axe("appointment refused by a must rule")
    answer(page, "involvement with the child", "No")
    page.get_by_role("button", name="Appoint").click()
    assert (
        "Pat Independent has been appointed independent panel chair."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    axe("panel with its chair")

    page.get_by_role("link", name="Appoint the overview author").click()
    declare(
        page, "author", email="olu.author@independent.example", organisation="Writer Associates", today=today
    )
    page.get_by_role("button", name="Appoint").click()
    assert page.get_by_test_id("member").count() == 2
    page.get_by_role("link", name="Back to the review").click()

    next_step(page, axe, "Start scoping")
    page.get_by_role("link", name="Record the methodology").click()
    axe("methodology")
    page.get_by_label("Systems approach").check()
    page.get_by_role("button", name="Save").click()

    # Terms of reference: a first dated draft, agreed by the panel (recorded by the business unit).
    page.get_by_role("link", name="Agree and approve the terms of reference").click()
    axe("terms of reference, none yet")
    page.get_by_role("link", name="Write the first version").click()
    axe("terms of reference form")
    page.get_by_label("Scope of the review").fill("How agencies worked with the family from 2024 to 2026.")
    page.get_by_role("button", name="Save as a new version").click()
    assert (
        f"DRAFT · Terms of reference of {review.reference} · Version 1"
        in page.get_by_test_id("tor-footer").inner_text()
    )
    axe("terms of reference, version 1 draft")
    page.get_by_role("link", name="Record the panel's agreement").click()
    axe("record the panel's agreement")
    page.get_by_role("button", name="Record the agreement").click()

    # The LSCB Chair approves it.
    chair = new_page()
    sign_in_as("chair@northshire.example", chair)
    chair.goto(f"/reviews/{review.pk}/terms-of-reference/")
    chair.get_by_role("link", name="Approve this version").click()
    axe_on(axe, chair, "approve the terms of reference")
    chair.get_by_role("button", name="Approve").click()
    assert chair.get_by_test_id("tor-state").inner_text() == "Approved"
    assert "DRAFT" not in chair.get_by_test_id("tor-footer").inner_text()
    axe_on(axe, chair, "approved terms of reference")

    # IMRs: fixture rows until the IMR pages exist — one accepted with its author, one nil return. They
    # were commissioned a week ago, so the authors' briefing can be on the last working day (issue 16).
    commissioned_at = timezone.now() - dt.timedelta(days=7)
    briefing_day = today if board_is_working_day(board, today) else board_working_day(board, today, -1)
    IMR.objects.create(
        review=review,
        agency=police,
        state=IMRState.ACCEPTED,
        author=imr_author,
        commissioned_at=commissioned_at,
        commissioned_by=manager_user,
    )
    IMR.objects.create(
        review=review,
        agency=hospitals,
        state=IMRState.NIL_RETURN,
        commissioned_at=commissioned_at,
        commissioned_by=manager_user,
    )
    page.goto(f"/reviews/{review.pk}/")
    assert page.get_by_test_id("state").inner_text() == "Terms of reference approved"
    next_step(page, axe, "Record the IMRs as commissioned")

    # Meetings: the authors' briefing, then the presentation meeting with the IMRs circulated.
    page.get_by_role("link", name="Hold the authors' briefing").click()
    axe("meetings, none yet")
    page.get_by_role("link", name="Set a meeting").click()
    axe("set a meeting")
    page.get_by_label("Authors' briefing").check()
    fill_date(page, "Date of the meeting", briefing_day)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("Record as held")).click()
    axe("record a meeting as held")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Record the IMRs as in progress")

    page.goto(f"/reviews/{review.pk}/meetings/new/?kind=presentation")
    fill_date(page, "Date of the meeting", today)
    page.get_by_role("button", name="Save").click()
    assert "that date has passed" in page.locator(".govuk-warning-text").first.inner_text()
    axe("meetings with the circulation warning")
    page.get_by_role("link", name="Record the IMRs as circulated").click()
    axe("record the IMRs as circulated")
    fill_date(page, "Date the IMRs were circulated", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("Record as held")).click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Move to presentation scheduled")
    next_step(page, axe, "Record the presentation as held")
    next_step(page, axe, "Start drafting the overview report")

    # The overview author uploads: a file that is not a document is refused, then the final draft.
    author = review_as(
        new_page(),
        sign_in_as,
        axe,
        "olu.author@independent.example",
        review,
        "review page for the overview author",
    )
    author.get_by_role("link", name="Write the overview report").click()
    axe_on(axe, author, "overview report, no versions")
    author.get_by_role("link", name="Upload a new version").click()
    axe_on(axe, author, "upload form")
    upload = author.get_by_label("Upload a file")
    upload.set_input_files(
        {"name": "overview.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    )
    author.get_by_role("button", name="Upload", exact=True).click()
    assert "The selected file must be a" in author.locator(".govuk-error-summary").inner_text()
    axe_on(axe, author, "upload refused")
    author.get_by_label("Upload a file").set_input_files(
        {"name": "overview.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    author.get_by_label("This is the final draft for the IMR authors to confirm").check()
    author.get_by_role("button", name="Upload", exact=True).click()
    assert "Final draft" in author.get_by_test_id("version").inner_text()
    axe_on(axe, author, "overview report with its final draft")

    page.reload()
    next_step(page, axe, "Send the final draft to the IMR authors")

    # The IMR author sees the approved terms and the final draft, and confirms.
    imr_page = review_as(
        new_page(),
        sign_in_as,
        axe,
        "imr.police@northshire.example",
        review,
        "IMR author's view of the review",
    )
    imr_page.get_by_role("link", name="Terms of reference, version 1").click()
    axe_on(axe, imr_page, "approved terms for the IMR author")
    imr_page.go_back()
    imr_page.get_by_role("link", name=re.compile("Confirm or dispute")).click()
    axe_on(axe, imr_page, "fair representation answer")
    imr_page.get_by_label("Yes, fully and fairly represented").check()
    imr_page.get_by_role("button", name="Send your answer").click()
    assert "Fully and fairly represented" in imr_page.get_by_test_id("answers").inner_text()
    axe_on(axe, imr_page, "IMR author's view after confirming")

    page.goto(f"/reviews/{review.pk}/fair-representation/")
    axe("fair representation")
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Start drafting the executive summary")

    page.get_by_role("link", name="Write the executive summary").click()
    page.get_by_role("link", name="Upload a new version").click()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "summary.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    axe("executive summary with a version")
    page.get_by_role("link", name="Back to the review").click()
    next_step(page, axe, "Start the panel's quality assurance")
    page.get_by_role("link", name="Membership section for the executive summary").click()
    assert "Pat Independent" in page.get_by_test_id("named").inner_text()
    axe("membership section")
    page.go_back()

    # The LSCB Chair records the LSCB's adoption.
    chair.goto(f"/reviews/{review.pk}/")
    chair.get_by_test_id("next-step").click()
    axe_on(axe, chair, "adoption form")
    fill_date(chair, "Date adopted", today)
    chair.get_by_label("LSCB meeting that adopted it").fill("LSCB Board meeting")
    chair.get_by_label("Dissemination and media arrangements agreed").fill(
        "Briefings; press statement agreed."
    )
    chair.get_by_role("button", name="Record the adoption").click()
    assert chair.get_by_test_id("state").inner_text() == "Adopted"
    axe_on(axe, chair, "review page after adoption")

    # Ofsted: submission, the evaluation letter, then publication.
    page.reload()
    page.get_by_test_id("next-step").click()
    axe("submission form")
    fill_date(page, "Date sent to Ofsted", today)
    for item in (
        "Overview report (with integrated chronology)",
        "Executive summary",
        "IMRs with their action plans",
    ):
        page.get_by_label(item).check()
    page.get_by_role("button", name="Record the submission").click()
    assert page.get_by_test_id("state").inner_text() == "Submitted to Ofsted"

    page.get_by_test_id("next-step").click()
    axe("evaluation form")
    fill_date(page, "Date of Ofsted's letter", today)
    page.get_by_label("Inspector", exact=True).fill("Ina Inspector")
    page.get_by_role("group", name="Overall grade").get_by_label("Good").check()
    page.get_by_label("Timescales").select_option("outstanding")
    page.get_by_role("button", name="Record the evaluation").click()
    assert page.get_by_test_id("overall-grade").inner_text() == "Good"

    # The practitioners' debriefing comes before publication (App 10).
    page.goto(f"/reviews/{review.pk}/meetings/new/?kind=staff_debrief")
    fill_date(page, "Date of the meeting", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=re.compile("Record as held")).last.click()
    page.get_by_role("button", name="Save").click()
    page.goto(f"/reviews/{review.pk}/")

    page.get_by_test_id("next-step").click()
    axe("publication form")
    fill_date(page, "Date published", today)
    page.get_by_label("Executive summary").check()
    page.get_by_label("Overview report (anonymised)").check()
    fill_date(page, "Date the published summary was sent to Ofsted (optional)", today)
    page.get_by_role("button", name="Record the publication").click()
    assert page.get_by_test_id("state").inner_text() == "Published"
    axe("review page after publication")

    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED
    statuses = dict(
        review.board.deadlines.filter(object_id=review.pk, kind="review").values_list("rule__code", "status")
    )
    assert statuses["review-completion"] == "met" and statuses["published-summary"] == "met"
    assert len(axe.checked) >= 35
