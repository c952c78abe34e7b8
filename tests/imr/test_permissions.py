"""The permission matrix over every IMR page, download and export: the author of agency X against the author
of agency Y (404), agency contacts, a member of the review's panel, a panel member of another review (404),
the business unit, the LSCB Chair, a user of another board (404), and a signed-out visitor (sign-in).
Interview records are for the author and the agency only, never the panel or the board (domain brief
§2.3)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imr import services
from imr.models import IMR, IMRState
from imr.selectors import REPORT_KIND, report_versions

from .factories import TODAY, add_chronology, add_plan, advance

pytestmark = pytest.mark.django_db

VIEWERS = {"author_x", "contact_x", "panel_a", "manager_a", "chair_a"}
PERSONAS = [
    "author_x",
    "author_y",
    "contact_x",
    "contact_y",
    "panel_a",
    "panel_other",
    "manager_a",
    "chair_a",
    "manager_b",
]


@pytest.fixture
def world(imr_x, imr_y, contact_x, panel_a):
    """IMR X in preparation with something in every part; IMR Y nominated."""
    imr = advance(imr_x, IMRState.IN_PREPARATION, contact=contact_x, panel=panel_a)
    author = imr.author
    add_chronology(imr, rows=2)
    add_plan(imr)
    services.imr_report_upload(
        imr=imr, actor=author, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    person = services.genogram_person_save(imr=imr, actor=author, label="M", sex="female")
    services.genogram_person_save(imr=imr, actor=author, label="F", sex="male")
    interview = services.interview_invite(
        imr=imr,
        actor=author,
        interviewee_name="Sam Worker",
        job_title="Social worker",
        invited_on=TODAY,
        interview_date=TODAY + dt.timedelta(days=15),
        venue="Room 4",
    )
    recommendation = imr.plan_recommendations.get()
    return {
        "imr": imr,
        "entry": imr.chronology.first(),
        "person": person,
        "interview": interview,
        "recommendation": recommendation,
        "action": recommendation.actions.get(),
        "file": report_versions(imr).filter(kind=REPORT_KIND).get(),
    }


def url(name, world, *extra):
    return reverse(name, args=[world["imr"].pk, *extra])


VIEW_PAGES = {
    "imr page": lambda w: url("imr_detail", w),
    "chronology": lambda w: url("imr_chronology", w),
    "chronology template csv": lambda w: url("imr_chronology_template", w, "csv"),
    "chronology template xlsx": lambda w: url("imr_chronology_template", w, "xlsx"),
    "genogram": lambda w: url("imr_genogram", w),
    "action plan": lambda w: url("imr_action_plan", w),
    "report download": lambda w: url("imr_file_download", w, w["file"].pk),
}
INTERVIEW_PAGES = {
    "interviews": lambda w: url("imr_interviews", w),
    "interview": lambda w: url("imr_interview_detail", w, w["interview"].pk),
}
AUTHOR_PAGES = {
    "section": lambda w: url("imr_section", w, "analysis"),
    "report upload": lambda w: url("imr_report_upload", w),
    "appendix": lambda w: url("imr_appendix_add", w),
    "event add": lambda w: url("imr_chronology_entry_add", w),
    "event change": lambda w: url("imr_chronology_entry_edit", w, w["entry"].pk),
    "event remove": lambda w: url("imr_chronology_entry_delete", w, w["entry"].pk),
    "import": lambda w: url("imr_chronology_import", w),
    "person add": lambda w: url("imr_genogram_person_add", w),
    "person change": lambda w: url("imr_genogram_person_edit", w, w["person"].pk),
    "person remove": lambda w: url("imr_genogram_person_delete", w, w["person"].pk),
    "relationship add": lambda w: url("imr_genogram_relationship_add", w),
    "interview add": lambda w: url("imr_interview_add", w),
    "interview held": lambda w: url("imr_interview_held", w, w["interview"].pk),
    "recommendation add": lambda w: url("imr_plan_recommendation_add", w),
    "recommendation change": lambda w: url("imr_plan_recommendation_edit", w, w["recommendation"].pk),
    "recommendation remove": lambda w: url("imr_plan_recommendation_delete", w, w["recommendation"].pk),
    "action add": lambda w: url("imr_plan_action_add", w, w["recommendation"].pk),
    "action change": lambda w: url("imr_plan_action_edit", w, w["recommendation"].pk, w["action"].pk),
    "action remove": lambda w: url("imr_plan_action_delete", w, w["recommendation"].pk, w["action"].pk),
    "send for factual check": lambda w: url("imr_confirm", w, "factual-check"),
}


def status_for(client_as, request, persona, path):
    user = request.getfixturevalue(persona)
    return client_as(user).get(path).status_code


def statuses(client_as, request, persona, pages, target) -> dict[str, int]:
    client = client_as(request.getfixturevalue(persona))
    return {name: client.get(page(target)).status_code for name, page in pages.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_imr_its_parts_and_its_files(request, client_as, world, persona):
    expected = 200 if persona in VIEWERS else 404
    assert statuses(client_as, request, persona, VIEW_PAGES, world) == dict.fromkeys(VIEW_PAGES, expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_interview_records_are_for_the_author_and_the_agency_only(request, client_as, world, persona):
    expected = 200 if persona in {"author_x", "contact_x"} else 404
    assert statuses(client_as, request, persona, INTERVIEW_PAGES, world) == dict.fromkeys(
        INTERVIEW_PAGES, expected
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_author_opens_the_writing_pages(request, client_as, world, persona):
    expected = {"author_x": 200}.get(persona, 403 if persona in VIEWERS else 404)
    assert statuses(client_as, request, persona, AUTHOR_PAGES, world) == dict.fromkeys(AUTHOR_PAGES, expected)


@pytest.mark.parametrize("persona", ["contact_x", "panel_a", "manager_a", "author_y"])
def test_a_refused_post_changes_nothing(request, client_as, world, persona):
    client = client_as(request.getfixturevalue(persona))
    response = client.post(url("imr_section", world, "analysis"), {"analysis": "Overwritten."})
    assert response.status_code in (403, 404)
    assert IMR.objects.get(pk=world["imr"].pk).analysis == ""


def test_signed_out_visitors_are_sent_to_sign_in(client, world, review_a):
    paths = [
        page(world) for page in (*VIEW_PAGES.values(), *INTERVIEW_PAGES.values(), *AUTHOR_PAGES.values())
    ]
    paths += [
        reverse("imr_list"),
        reverse("review_imrs", args=[review_a.pk]),
        reverse("imr_commission", args=[review_a.pk]),
        reverse("integrated_chronology", args=[review_a.pk]),
        reverse("integrated_chronology_export", args=[review_a.pk, "xlsx"]),
        reverse("integrated_chronology_export", args=[review_a.pk, "csv"]),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


REVIEW_PAGES = {
    "review's IMRs": lambda r: reverse("review_imrs", args=[r.pk]),
    "integrated chronology": lambda r: reverse("integrated_chronology", args=[r.pk]),
    "export csv": lambda r: reverse("integrated_chronology_export", args=[r.pk, "csv"]),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_review_pages_are_for_the_panel_and_the_board(request, client_as, world, review_a, persona):
    expected = 200 if persona in {"panel_a", "manager_a", "chair_a"} else 404
    assert statuses(client_as, request, persona, REVIEW_PAGES, review_a) == dict.fromkeys(
        REVIEW_PAGES, expected
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_commissioning_is_for_the_panel_and_the_business_unit(request, client_as, world, review_a, persona):
    expected = {"panel_a": 200, "manager_a": 200, "chair_a": 403}.get(persona, 404)
    assert status_for(client_as, request, persona, reverse("imr_commission", args=[review_a.pk])) == expected


@pytest.mark.parametrize("page", ["imr_nominate", "imr_nil_return"])
@pytest.mark.parametrize(
    "persona", ["contact_y", "manager_a", "panel_a", "chair_a", "contact_x", "author_x", "manager_b"]
)
def test_the_agency_or_business_unit_answers_the_request(request, client_as, imrs, imr_x, page, persona):
    expected = {"contact_y": 200, "manager_a": 200, "panel_a": 403, "chair_a": 403}.get(persona, 404)
    assert status_for(client_as, request, persona, reverse(page, args=[imrs["y"].pk])) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_quality_assurance_is_for_the_reviews_panel(
    request, client_as, imr_x, imr_y, contact_x, panel_a, persona
):
    imr = advance(imr_x, IMRState.SUBMITTED, contact=contact_x, panel=panel_a)
    expected = {"panel_a": 200}.get(persona, 403 if persona in VIEWERS else 404)
    assert (
        status_for(client_as, request, persona, reverse("imr_quality_assurance", args=[imr.pk])) == expected
    )


@pytest.mark.parametrize(
    ("persona", "agencies"),
    [
        ("author_x", {"Alpha Police"}),
        ("author_y", {"Alpha Hospitals NHS Trust"}),
        ("contact_x", {"Alpha Police"}),
        ("panel_a", {"Alpha Police", "Alpha Hospitals NHS Trust"}),
        ("manager_a", {"Alpha Police", "Alpha Hospitals NHS Trust"}),
        ("panel_other", set()),
        ("manager_b", set()),
    ],
)
def test_the_imr_list_shows_only_what_each_person_may_open(
    request, client_as, imr_x, imr_y, persona, agencies
):
    response = client_as(request.getfixturevalue(persona)).get(reverse("imr_list"))
    assert response.status_code == 200
    assert {row.imr.agency.name for row in response.context["rows"]} == agencies


def test_an_author_has_no_board_but_sees_their_commission_at_home(client_as, imr_x):
    response = client_as(imr_x.author).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["board"] is None
    assert [row.imr for row in response.context["my_imrs"]] == [imr_x]
    assert b"Your IMR commissions" in response.content


def test_an_unknown_imr_is_a_404_even_for_the_business_unit(client_as, manager_a, world):
    assert client_as(manager_a).get(reverse("imr_detail", args=[999_999])).status_code == 404
    assert client_as(manager_a).get(url("imr_file_download", world, 999_999)).status_code == 404
