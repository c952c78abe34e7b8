"""An action plan in the browser (issue 7): the LSCB Chair adopts the agreed plan, the business manager
starts monitoring, the agency owner records evidence and the actions taken, the SCR sub-committee verifies,
the Chair signs the plan off and closes the review, and the timeliness report shows the review. Each person
works in their own browser context; axe-core checks every page visited, charts included. Time runs from
the reviews tests' NOW so the review's recorded dates are in order."""

import pytest
import time_machine
from playwright.sync_api import expect

from portal_site.demo import DEMO_PASSWORD, demo_data_load
from reviews.models import ActionState, PlanState, Review, ReviewState
from scr_portal.models import Agency, Board, User
from tests.reviews.factories import NOW, PDF, TODAY, Journey, decided_review, independent_person
from tests.reviews.plan_factories import agree_plan, draft_plan

from .test_review_journey import axe_on, fill_date, ofsted_elements

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_action_plan_from_adoption_to_closure(page, new_page, axe, sign_in_as):
    with time_machine.travel(NOW, tick=True):
        demo_data_load()
        ofsted_elements()
        board = Board.objects.get(short_name="NLSCB")
        manager = User.objects.get(email="manager@northshire.example")
        chair = User.objects.get(email="chair@northshire.example")
        owner = User.objects.get(email="agency@northshire.example")
        police = Agency.objects.get(board=board, name="Northshire Police")
        review = decided_review(board=board, chair=chair, manager=manager, agencies=[police])
        journey = Journey(
            review,
            manager=manager,
            chair=chair,
            agencies=[police],
            panel_chair=independent_person(full_name="Pat Independent"),
            author=independent_person(full_name="Olu Writer"),
        )
        review = journey.to(ReviewState.MONITORING)
        plan, _, action = draft_plan(review, manager=manager, agency=police, owner=owner)
        agree_plan(plan, manager, police, name="Dana Chief", post="Chief Constable")
        plan_url = f"/reviews/{review.pk}/plan/"

        # The LSCB Chair finds the plan from the review and records its adoption.
        sign_in_as("chair@northshire.example")
        page.goto(f"/reviews/{review.pk}/")
        page.get_by_test_id("plan-link").click()
        expect(page.get_by_test_id("plan-state")).to_have_text("Agreed")
        axe("the agreed plan")
        page.get_by_role("link", name="Record the plan as adopted").click()
        axe("adopt the plan")
        page.get_by_role("button", name="Adopt").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date")
        axe("adopt the plan, with an error")
        fill_date(page, "Date the LSCB adopted the plan", TODAY)
        page.get_by_role("button", name="Adopt").click()
        expect(page.get_by_test_id("plan-state")).to_have_text("Adopted")

        # The business manager starts monitoring.
        manager_page = new_page()
        sign_in_as("manager@northshire.example", manager_page)
        manager_page.goto(plan_url)
        manager_page.get_by_role("link", name="Start monitoring").click()
        axe_on(axe, manager_page, "start monitoring")
        manager_page.get_by_role("button", name="Start monitoring").click()
        expect(manager_page.get_by_test_id("plan-state")).to_have_text("Monitoring")

        # The police contact, who owns the action, records evidence and the actions taken.
        owner_page = new_page()
        sign_in_as("agency@northshire.example", owner_page)
        owner_page.get_by_role("link", name="Actions", exact=True).click()
        axe_on(axe, owner_page, "the owner's actions")
        owner_page.get_by_role("link", name=action.text).click()
        axe_on(axe, owner_page, "the action")
        owner_page.get_by_role("link", name="Add evidence").click()
        axe_on(axe, owner_page, "add evidence")
        owner_page.get_by_label("Evidence note").fill("Attendance lists of the four briefings.")
        owner_page.get_by_label("Upload a document (optional)").set_input_files(
            files=[{"name": "attendance.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        owner_page.get_by_role("button", name="Add the evidence").click()
        expect(owner_page.get_by_test_id("evidence")).to_contain_text("attendance.pdf")
        owner_page.get_by_role("link", name="Record the actions taken").click()
        axe_on(axe, owner_page, "record the actions taken")
        owner_page.get_by_label("Actions taken").fill("Four briefings held for every team.")
        owner_page.get_by_role("button", name="Record as done").click()
        expect(owner_page.get_by_test_id("action-state")).to_have_text("Done")
        axe_on(axe, owner_page, "the action, done")

        # The SCR sub-committee, the monitoring group of an SCR, verifies it.
        monitor_page = new_page()
        sign_in_as("subcommittee@northshire.example", monitor_page)
        monitor_page.goto("/actions/?status=done")
        axe_on(axe, monitor_page, "the monitoring group's list")
        monitor_page.get_by_role("link", name=action.text).click()
        monitor_page.get_by_role("link", name="Record the verdict").click()
        axe_on(axe, monitor_page, "the verdict")
        monitor_page.get_by_label("Verified: the evidence shows it is done").check()
        monitor_page.get_by_label("Note").fill("Attendance lists seen.")
        monitor_page.get_by_role("button", name="Save").click()
        expect(monitor_page.get_by_test_id("action-state")).to_have_text("Verified")
        axe_on(axe, monitor_page, "the verified action")

        # The Chair signs the plan off as complete and closes the review.
        page.goto(plan_url)
        page.get_by_role("link", name="Sign off the plan as complete").click()
        axe("sign off the plan")
        fill_date(page, "Date the board signed off the plan", TODAY)
        page.get_by_label("How the board signed it off").fill("Signed off at the LSCB meeting.")
        page.get_by_role("button", name="Sign off", exact=True).click()
        expect(page.get_by_test_id("plan-state")).to_have_text("Completed")
        axe("the completed plan")
        page.goto(f"/reviews/{review.pk}/steps/close/")
        if page.get_by_label("Password").count():
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button").last.click()
        axe("close the review")
        fill_date(page, "Date the LSCB signed it off", TODAY)
        page.get_by_label("How the action plan was signed off as complete").fill("Plan signed off.")
        page.get_by_role("button", name="Close the review").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The review is closed")
        review = Review.objects.get(pk=review.pk)
        assert review.state == ReviewState.CLOSED
        plan.refresh_from_db()
        action.refresh_from_db()
        assert plan.state == PlanState.COMPLETED and action.state == ActionState.VERIFIED

        # The timeliness report shows the review, chart and table.
        manager_page.goto("/actions/")
        manager_page.get_by_role("link", name="Board reports").click()
        axe_on(axe, manager_page, "the board reports")
        manager_page.get_by_role("link", name="Timeliness").click()
        expect(manager_page.get_by_test_id("review-timeliness")).to_contain_text(review.reference)
        expect(manager_page.locator("svg[role=img]")).to_have_count(1)
        axe_on(axe, manager_page, "the timeliness report")
        for slug in ("decisions", "themes", "agencies", "annual"):
            manager_page.goto(f"/reports/{slug}/")
            axe_on(axe, manager_page, f"the {slug} report")
    assert len(axe.checked) >= 18
