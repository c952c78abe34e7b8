"""An IMR from commissioning to the integrated chronology, in the browser: the panel chair commissions from a
review with approved terms of reference; the agency's contact names the author (a failing independence
answer first); the author (an account outside the board, with an authenticator app) writes the sections,
imports a chronology (a file with one bad row among good ones is reported and nothing imported; the
corrected file is previewed and saved), adds an action plan row, signs off and submits; the panel chair
returns it once for rework with guidance per unmet point and a new date; the author restarts, reworks,
signs off afresh and resubmits; the panel chair accepts. With a second agency's accepted IMR (made through
the services), the integrated chronology shows both agencies' rows, is filtered and downloaded as XLSX.
axe-core checks every page on the way, error states included."""

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from imr.models import IMR, IMRState
from imr.quality import QA_POINTS
from portal_site.demo import DEMO_PASSWORD, demo_data_load
from reviews.models import PanelMembership, PanelRole, Review
from scr_portal.models import Agency, Board, User
from scr_portal.reference_data import ensure_reference_data
from tests.imr.factories import advance, commission, confirm_involved, nominate, review_ready

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "Event No,Date,Time,Family Member,Child seen/wishes sought or expressed (Y/N),Event,"
    "Agency source to overview,Action taken,Note\n"
)
FIRST_ROW = (
    "1,04/01/2021,09:30,M,Y,Officers attended a report of a disturbance; the child was seen asleep.,Police,"
    "Referral to children's social care,\n"
)
LAST_ROW = '3,25/01/2021,,F,N,"=1+1",Police,,Text that looks like a formula\n'
# One bad row (file row 3: an impossible date and time, and 'Yes' for Y) between two good ones.
ONE_BAD_ROW_CSV = (
    HEADER + FIRST_ROW + "2,31/02/2021,25:61,M,Yes,Officers visited the home.,Police,,\n" + LAST_ROW
)
GOOD_CSV = HEADER + FIRST_ROW + "2,18/01/2021,16:45,M,N,Officers visited the home.,Police,,\n" + LAST_ROW


def fill_date(page, group: str, day: dt.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def answer(page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def review_with_the_police_involved() -> tuple[Board, User, Agency, Review]:
    """The demo board and a review of a decided referral whose police were involved: (the board, its
    business manager, the police, the review)."""
    demo_data_load()
    ensure_reference_data()
    board = Board.objects.get(short_name="NLSCB")
    manager = User.objects.get(email="manager@northshire.example")
    police = Agency.objects.get(board=board, name="Northshire Police")
    review = review_ready(board=board, created_by=manager)
    confirm_involved(review, police, sent_by=manager)
    return board, manager, police, review


def review_with_a_panel_chair():
    """The demo board's review with the police involved and an independent panel chair."""
    _, manager, police, review = review_with_the_police_involved()
    chair = User.objects.create_user(
        email="panel.chair@northshire.example", password=DEMO_PASSWORD, full_name="Ines Independent"
    )
    PanelMembership.objects.create(
        review=review,
        user=chair,
        role=PanelRole.INDEPENDENT_CHAIR,
        organisation="Independent",
        post="Independent panel chair",
        appointed_at=timezone.now(),
        appointed_by=manager,
    )
    return manager, police, review, chair


def name_alex_author(page, directly_involved: str) -> None:
    """Fill the nomination form for Alex Author, a senior police officer, and confirm the answers."""
    page.get_by_label("Author's full name").fill("Alex Author")
    page.get_by_label("Author's email address").fill("alex.author@police.example")
    page.get_by_label("Author's job title").fill("Detective Chief Inspector, Review Unit")
    page.get_by_label("Author's role within the organisation").fill("Head of the review unit")
    answer(page, "Is the author bought in from outside the agency?", "No")
    answer(page, "Has the author been directly involved with the child or family?", directly_involved)
    answer(page, "Is the author the immediate line manager of any practitioner involved?", "No")
    answer(page, "Is the author a senior member of staff?", "Yes")
    answer(page, "Does the author know child protection practice?", "Yes")
    page.get_by_label("I confirm that these answers are true").check()


def tick_every_point_met(page) -> None:
    for number in range(1, len(QA_POINTS) + 1):
        page.get_by_label(f"Met: point {number}", exact=True).check()


def accept_the_imr(page) -> None:
    """On the quality-assurance page: every point met, the IMR accepted."""
    tick_every_point_met(page)
    page.get_by_label("Accept the IMR").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "The IMR has been accepted." in banner(page)


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def sign(who, axe, today, link: str, label: str, signature: str, button: str, done: str) -> None:
    who.get_by_role("link", name=link).click()
    axe.page = who
    axe(label)
    who.get_by_label("Your signature").fill(signature)
    fill_date(who, "Date you signed", today)
    who.get_by_role("button", name=button).click()
    assert done in banner(who)


def sign_off(writer, new_page, sign_in_as, axe, imr, today, label: str) -> None:
    """The author signs the IMR; then the police's head of agency signs it off from their own account."""
    sign(
        writer,
        axe,
        today,
        "Sign the IMR as its author",
        f"{label}, the author",
        "Alex Author",
        "Sign the IMR",
        "The head of agency has been asked to sign it off.",
    )
    head = new_page()
    sign_in_as("head.police@northshire.example", target=head)
    head.goto(f"/imr/{imr.pk}/")
    sign(
        head,
        axe,
        today,
        "Sign off the IMR as head of agency",
        f"{label}, the head of agency",
        "Mark Ellison",
        "Sign off the IMR",
        "The IMR has been signed off.",
    )


def to_the_panel(writer, new_page, sign_in_as, axe, imr, today, again: str = "") -> None:
    """Factual check, the agency's quality assurance, sign-off and submission (`again`: after rework)."""
    writer.get_by_role("link", name="Send for factual check").click()
    axe(f"factual check confirmation{again}")
    writer.get_by_role("button", name="Send for factual check").click()
    axe(f"IMR page, at factual check{again}")
    writer.get_by_role("link", name="Send for the agency's quality assurance").click()
    axe(f"agency quality assurance confirmation{again}")
    writer.get_by_role("button", name="Send for quality assurance").click()
    sign_off(writer, new_page, sign_in_as, axe, imr, today, f"sign-off{again}")
    writer.reload()
    axe.page = writer
    axe(f"IMR page, signed off{again}")
    writer.get_by_role("link", name="Submit the IMR to the panel").click()
    axe(f"submission confirmation{again}")
    writer.get_by_role("button", name="Submit the IMR").click()
    assert "submitted to the panel" in banner(writer)
    assert writer.get_by_test_id("state").inner_text() == "Submitted"
    axe(f"IMR page, submitted{again}")


def test_imr_from_commissioning_to_the_integrated_chronology(
    page, new_page, axe, sign_in_as, monkeypatch, private_media
):
    manager, police, review, chair = review_with_a_panel_chair()
    today = timezone.localdate()

    # The panel chair commissions the IMRs.
    sign_in_as("panel.chair@northshire.example")
    page.goto(f"/imr/reviews/{review.pk}/")
    axe("the review's IMRs, none yet")
    page.get_by_role("link", name="Commission IMRs").click()
    assert page.get_by_label("Northshire Police (confirmed involvement)").is_checked()
    axe("commissioning")
    page.get_by_role("button", name="Commission the IMRs").click()
    assert (
        "Enter the date by which each agency names its author"
        in page.locator(".govuk-error-summary").inner_text()
    )
    axe("commissioning with an error")
    fill_date(page, "Date by which each agency names its author", today + dt.timedelta(days=7))
    page.get_by_role("button", name="Commission the IMRs").click()
    assert "1 IMR has been commissioned" in banner(page)
    axe("the review's IMRs, commissioned")
    imr = IMR.objects.get(review=review)

    # The police's contact names the author; a directly involved author is refused.
    contact = new_page()
    sign_in_as("agency@northshire.example", target=contact)
    contact.get_by_role("link", name="IMRs", exact=True).click()
    axe.page = contact
    axe("IMR list of the agency")
    contact.get_by_role("link", name=re.compile("Northshire Police")).click()
    axe("IMR page, requested")
    contact.get_by_role("link", name="Name the author").click()
    axe("nomination")
    name_alex_author(contact, directly_involved="Yes")
    contact.get_by_role("button", name="Name the author").click()
    assert "must not have been directly involved" in contact.locator(".govuk-error-summary").inner_text()
    axe("nomination refused")
    answer(contact, "Has the author been directly involved with the child or family?", "No")
    contact.get_by_role("button", name="Name the author").click()
    assert "Alex Author is the author of this IMR" in banner(contact)
    axe("IMR page, author named")

    # The author was invited by email; here they set their password directly, then sign in with a code.
    author = User.objects.get(email="alex.author@police.example")
    assert not author.has_usable_password() and not author.memberships.exists()
    author.set_password(DEMO_PASSWORD)
    author.save(update_fields=["password"])
    writer = new_page()
    sign_in_as("alex.author@police.example", target=writer)
    axe.page = writer
    assert writer.get_by_test_id("my-imrs").is_visible()
    axe("author's home")
    writer.get_by_test_id("my-imrs").get_by_role("link").click()
    writer.get_by_role("link", name="Start preparing the IMR").click()
    axe("start preparing")
    fill_date(writer, "Date the agency's records were secured", today - dt.timedelta(days=20))
    writer.get_by_role("button", name="Start preparing the IMR").click()
    assert "The IMR is in preparation." in banner(writer)
    axe("IMR page, in preparation")

    sections = {
        "contextual information": {"Contextual information": "The team had two vacancies at the time."},
        "methodology": {"How the agency carried out the review": "Records read; three staff interviewed."},
        "summary of facts": {"Summary of facts": "The family moved to the area in 2020."},
        "analysis of involvement": {
            "Analysis of involvement": "Officers did not share the concern promptly."
        },
        "what do we learn from this case?": {"Lessons learned": "Share domestic abuse reports within a day."},
        "smart recommendations": {"Recommendations for action": "Train officers on sharing information."},
    }
    for index, (section, fields) in enumerate(sections.items()):
        writer.get_by_role("link", name=f"Change {section}").click()
        if index == 0:
            axe("a section of the report")
        for label, text in fields.items():
            writer.get_by_label(label, exact=True).fill(text)
        writer.get_by_role("button", name="Save").click()
        assert "has been saved" in banner(writer)
    axe("IMR page with the sections written")

    # The chronology: a file with one bad row among good rows is reported and nothing is imported; the
    # corrected file is previewed, then saved.
    writer.get_by_role("link", name="Chronology", exact=True).click()
    axe("chronology, empty")
    writer.get_by_role("link", name="Import from a spreadsheet").click()
    axe("chronology import")
    upload = writer.get_by_label("Upload a chronology file")
    upload.set_input_files(
        {"name": "chronology.csv", "mimeType": "text/csv", "buffer": ONE_BAD_ROW_CSV.encode()}
    )
    writer.get_by_role("button", name="Check the file").click()
    assert "Nothing has been imported" in writer.get_by_test_id("import-report").inner_text()
    report = writer.get_by_test_id("import-problems").inner_text()
    assert "Date must be a real date" in report and "Time must be a real time" in report
    assert "Child seen must be Y or N" in report
    problem_rows = (
        writer.get_by_test_id("import-problems").locator("tbody tr td:first-child").all_inner_texts()
    )
    assert set(problem_rows) == {"3"}, problem_rows  # only the one bad row; the good rows are not reported
    axe("chronology import report")
    writer.get_by_label("Upload a chronology file").set_input_files(
        {"name": "chronology.csv", "mimeType": "text/csv", "buffer": GOOD_CSV.encode()}
    )
    writer.get_by_role("button", name="Check the file").click()
    assert "passed every check: 3 events" in writer.get_by_test_id("preview-summary").inner_text()
    axe("chronology preview")
    writer.get_by_role("button", name="Save the chronology").click()
    assert "The chronology has been imported: 3 events." in banner(writer)
    table = writer.get_by_test_id("chronology-table").inner_text()
    assert "=1+1" in table and "18/01/2021" in table
    axe("chronology with events")
    writer.get_by_role("link", name="Back to the IMR").click()

    # The action plan: one recommendation with one action.
    writer.get_by_role("link", name="Action plan", exact=True).click()
    axe("action plan, empty")
    writer.get_by_role("link", name="Add a recommendation").click()
    writer.get_by_label("Outcome").fill("Officers share concerns about children promptly.")
    writer.get_by_label("Recommendation", exact=True).fill(
        "The head of public protection should train all officers."
    )
    writer.get_by_label("Information for audit (optional)").fill("Training records against staff in post.")
    writer.get_by_role("button", name="Save").click()
    writer.get_by_role("link", name="Add an action to recommendation 1").click()
    axe("action form")
    writer.get_by_label("Action", exact=True).fill("Run a training course on information sharing.")
    writer.get_by_label("By whom").fill("Head of police training")
    writer.get_by_label("The action is ongoing").check()
    writer.get_by_role("button", name="Save").click()
    assert "Action 1.1 has been saved." in banner(writer)
    axe("action plan with an action")
    writer.get_by_role("link", name="Back to the IMR").click()

    # Factual check, agency quality assurance, sign-off, submission.
    to_the_panel(writer, new_page, sign_in_as, axe, imr, today)

    # The panel chair quality-assures and returns it for rework: guidance on each unmet point, a new date.
    # The interview records are not shown to the panel.
    axe.page = page
    page.goto(f"/imr/{imr.pk}/")
    assert page.get_by_test_id("interviews-withheld").is_visible()
    page.get_by_role("link", name="Quality-assure the IMR").click()
    axe("quality assurance")
    unmet = {
        5: "Say why the disturbance report was not shared, against the force's procedure.",
        7: "Say what the child's wishes and feelings were and when officers could have asked.",
    }
    new_date = today + dt.timedelta(days=14)
    for number in range(1, len(QA_POINTS) + 1):
        page.get_by_label(f"{'Not met' if number in unmet else 'Met'}: point {number}", exact=True).check()
    for number, guidance in unmet.items():
        page.get_by_label(f"Guidance if not met: point {number}").fill(guidance)
    page.get_by_label("Return it for rework with guidance").check()
    fill_date(page, "New date for the reworked IMR", new_date)
    axe("quality assurance, return for rework filled in")
    page.get_by_role("button", name="Record the decision").click()
    assert "returned for rework" in banner(page) and "needs fresh sign-off" in banner(page)
    assert page.get_by_test_id("state").inner_text() == "Returned for rework"
    returned = page.get_by_test_id("qa-1").inner_text()
    assert all(guidance in returned for guidance in unmet.values())
    assert f"New date: {new_date.day} {new_date:%B %Y}" in returned
    axe("IMR page, returned for rework")

    # The author sees the guidance, restarts, reworks the analysis, and the IMR goes round again: factual
    # check, agency quality assurance, fresh sign-off, submission.
    writer.goto(f"/imr/{imr.pk}/")
    assert writer.get_by_test_id("state").inner_text() == "Returned for rework"
    assert all(guidance in writer.get_by_test_id("qa-1").inner_text() for guidance in unmet.values())
    axe("IMR page, returned, as the author")
    writer.get_by_role("link", name="Start the rework").click()
    axe("start the rework")
    writer.get_by_role("button", name="Start the rework").click()
    assert "The rework has started." in banner(writer)
    assert writer.get_by_test_id("state").inner_text() == "In preparation"
    axe("IMR page, rework in preparation")
    writer.get_by_role("link", name="Change analysis of involvement").click()
    axe("a section of the report, reworked")
    writer.get_by_label("Analysis of involvement", exact=True).fill(
        "Officers did not share the disturbance report for four days, against the force's procedure of "
        "sharing within a day. The child was seen asleep; nobody asked the child about home."
    )
    writer.get_by_role("button", name="Save").click()
    assert "has been saved" in banner(writer)
    axe("IMR page with the analysis reworked")
    to_the_panel(writer, new_page, sign_in_as, axe, imr, today, again=", rework")

    # The panel chair quality-assures the reworked IMR and accepts it.
    axe.page = page
    page.goto(f"/imr/{imr.pk}/")
    page.get_by_role("link", name="Quality-assure the IMR").click()
    axe("quality assurance of the reworked IMR")
    accept_the_imr(page)
    assert page.get_by_test_id("state").inner_text() == "Accepted"
    axe("IMR page, accepted")

    # A second agency's IMR of the same review, accepted with its chronology, made through the services.
    hospitals = Agency.objects.get(board=review.board, name="Northshire Hospitals NHS Trust")
    confirm_involved(review, hospitals, sent_by=manager)
    now = timezone.now()
    (health_imr,) = commission(review, [hospitals], actor=chair, now=now)
    health_contact = User.objects.get(email="health@northshire.example")
    health_imr = nominate(
        health_imr,
        actor=health_contact,
        email="nina.author@hospitals.example",
        full_name="Nina Author",
        now=now,
    )
    health_imr = advance(health_imr, IMRState.ACCEPTED, contact=health_contact, panel=chair, now=now)
    assert health_imr.chronology.count() == 2

    # The integrated chronology shows both agencies' rows; filters, then the XLSX export.
    page.get_by_role("link", name=f"All IMRs of {review.reference}").click()
    axe("the review's IMRs, both accepted")
    page.get_by_role("link", name="Integrated chronology").click()
    integrated = page.get_by_test_id("integrated-table")
    assert integrated.get_by_role("cell", name="Northshire Police", exact=True).count() == 3
    assert integrated.get_by_role("cell", name="Northshire Hospitals NHS Trust", exact=True).count() == 2
    assert integrated.locator("tbody tr").count() == 5
    assert "Event 1 of Northshire Hospitals NHS Trust." in integrated.inner_text()
    assert "Officers attended a report of a disturbance" in integrated.inner_text()
    axe("integrated chronology")
    page.get_by_label("Agency", exact=True).select_option(label="Northshire Police")
    page.get_by_label("Child seen or wishes sought").select_option(label="Yes")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_test_id("child-seen-count").inner_text() == "1"
    assert page.get_by_test_id("integrated-table").locator("tbody tr").count() == 1
    axe("integrated chronology filtered")
    # No worker here: the spreadsheet is built in the web process once the request commits.
    from django.db import transaction

    monkeypatch.setattr(
        "imr.views.review.enqueue_on_commit",
        lambda task, *args: transaction.on_commit(lambda: task(*args)),
    )
    page.get_by_role("button", name="Prepare Excel (XLSX) of the integrated chronology").click()
    assert page.get_by_role("heading", name="Integrated chronology spreadsheet").is_visible()
    assert "Ready" in page.get_by_test_id("status").inner_text()
    axe("integrated chronology spreadsheet, ready")
    with page.expect_download() as downloaded:
        page.get_by_role("link", name=re.compile("^Download")).click()
    download = downloaded.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[2][0] == "Northshire Police" and rows[2][6] == "Y" and len(rows) == 3


def test_genogram_interviews_and_a_return_for_rework(page, new_page, axe, sign_in_as):
    """The author's other pages (genogram, interviews), the panel's return for rework with its errors, and
    the business unit's list across reviews, each checked by axe-core."""
    from imr.models import IMRState
    from tests.imr.factories import advance, commission, nominate

    manager, police, review, chair = review_with_a_panel_chair()
    contact = User.objects.get(email="agency@northshire.example")
    now = timezone.now()
    (imr,) = commission(review, [police], actor=manager, now=now)
    imr = nominate(imr, actor=contact, email="alex.author@police.example", full_name="Alex Author", now=now)
    imr.author.set_password(DEMO_PASSWORD)
    imr.author.save(update_fields=["password"])
    # The factory gave the author an authenticator; sign_in_as sets up its own, so start without one.
    imr.author.authenticator_set.all().delete()
    imr = advance(imr, IMRState.IN_PREPARATION, contact=contact, panel=chair, now=now)
    today = timezone.localdate()

    sign_in_as("alex.author@police.example")
    page.goto(f"/imr/{imr.pk}/genogram/")
    axe("genogram, empty")
    for label, sex in (("Mother (M)", "Female"), ("Child (C)", "Not known")):
        page.get_by_role("link", name="Add a person").click()
        page.get_by_label("Name used in the report").fill(label)
        page.get_by_role("group", name="Sex").get_by_label(sex, exact=True).check()
        if label == "Mother (M)":
            fill_date(page, "Date of death (optional)", dt.date(2024, 1, 1))
            page.get_by_role("button", name="Save").click()
            assert "Tick ‘Deceased’" in page.locator(".govuk-error-summary").inner_text()
            axe("genogram person with an error")
            page.get_by_label("Deceased").check()
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a relationship").click()
    axe("genogram relationship form")
    page.get_by_label("First person").select_option(label="Mother (M)")
    page.get_by_label("Second person").select_option(label="Child (C)")
    page.get_by_label("Parent and child").check()
    page.get_by_role("button", name="Add the relationship").click()
    assert "Mother (M) is the parent" in page.get_by_test_id("genogram-lines").inner_text()
    axe("genogram with people and a line")

    page.goto(f"/imr/{imr.pk}/interviews/")
    axe("interviews, none")
    page.get_by_role("link", name="Invite someone to an interview").click()
    page.get_by_label("Interviewee's full name").fill("Sam Worker")
    page.get_by_label("Job title").fill("Social worker")
    page.get_by_label("Venue").fill("Room 4, Police HQ")
    fill_date(page, "Date of the invitation", today)
    fill_date(page, "Date of the interview", today + dt.timedelta(days=5))
    page.get_by_role("button", name="Record the invitation").click()
    assert "notice of the interview" in page.locator(".govuk-error-summary").inner_text()
    axe("interview invitation with too little notice")
    fill_date(page, "Date of the interview", today + dt.timedelta(days=15))
    page.get_by_role("button", name="Record the invitation").click()
    assert page.get_by_test_id("interview").is_visible()
    axe("interview record")

    # Submit the IMR (through the services), then the panel chair returns it with guidance.
    imr = advance(imr, IMRState.SUBMITTED, contact=contact, panel=chair, now=timezone.now())
    panel_page = new_page()
    axe.page = panel_page
    sign_in_as("panel.chair@northshire.example", target=panel_page)
    panel_page.goto(f"/imr/{imr.pk}/quality-assurance/")
    tick_every_point_met(panel_page)
    panel_page.get_by_label("Not met: point 5", exact=True).check()
    panel_page.get_by_label("Return it for rework with guidance").check()
    panel_page.get_by_role("button", name="Record the decision").click()
    errors = panel_page.locator(".govuk-error-summary").inner_text()
    assert "Give guidance on how to improve this point." in errors
    axe("quality assurance with errors")
    panel_page.get_by_label("Guidance if not met: point 5").fill("Explain why the referral was not shared.")
    fill_date(panel_page, "New date for the reworked IMR", today + dt.timedelta(days=14))
    panel_page.get_by_role("button", name="Record the decision").click()
    assert "returned for rework" in banner(panel_page)
    assert panel_page.get_by_test_id("state").inner_text() == "Returned for rework"
    axe("IMR page, returned with guidance")

    manager_page = new_page()
    axe.page = manager_page
    sign_in_as("manager@northshire.example", target=manager_page)
    manager_page.get_by_role("link", name="IMRs", exact=True).click()
    assert (
        manager_page.get_by_test_id("imr-table")
        .get_by_role("cell", name=review.reference, exact=True)
        .is_visible()
    )
    axe("business unit's IMR list")
    manager_page.get_by_label("Status").select_option(label="Returned for rework")
    manager_page.get_by_role("button", name="Apply filters").click()
    assert manager_page.get_by_test_id("imr-table").locator("tbody tr").count() == 1
    axe("business unit's IMR list filtered")
