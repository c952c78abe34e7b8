"""The business manager looks at the family's genogram on the referral page, then produces the IMR pack from
an IMR's documents page and downloads the App 7 chronology template from the IMR page. axe-core checks
every page on the way, the genogram's drawing included."""

import io

import openpyxl
import pytest
from django.utils import timezone

from imr.documents import app7_headers
from imr.models import IMRState
from scr_portal.reference_data import ensure_reference_data
from tests.imr.factories import advance, commission, review_of

from .test_documents_journey import produce_a_draft

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def imr_in_preparation(referral, manager, agency):
    now = timezone.now()
    ensure_reference_data()
    review = review_of(referral, created_by=manager, now=now, scope="The agencies' work with the family.")
    imr = commission(review, [agency], actor=manager, now=now)[0]
    return advance(
        imr, IMRState.IN_PREPARATION, contact=manager, panel=None, email="author@example.org", now=now
    )


def test_genogram_on_the_referral_page_and_the_imr_pack_from_the_imr_page(
    page, axe, sign_in_as, render_on_commit, northshire_referral
):
    referral, manager, agencies = northshire_referral
    imr = imr_in_preparation(referral, manager, agencies[0])

    sign_in_as("manager@northshire.example")
    page.goto(f"/referrals/{referral.pk}/")
    genogram = page.get_by_test_id("genogram")
    assert genogram.get_by_role("img", name="Genogram of the child's family").is_visible()
    assert "Siobhan O'Neill, Mother, female" in genogram.get_by_test_id("genogram-people").inner_text()
    axe("referral page with the genogram")

    page.goto(f"/imr/{imr.pk}/")
    axe("IMR page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Chronology template (Excel, XLSX)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    assert [cell.value for cell in workbook["Chronology"][1]] == app7_headers()

    page.get_by_test_id("imr-documents").get_by_test_id("documents-link").click()
    assert page.get_by_role("heading", name="Documents and letters").is_visible()
    axe("IMR documents page")
    produce_a_draft(page, axe, "imr-pack", "IMR pack")
