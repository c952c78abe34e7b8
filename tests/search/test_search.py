"""Issue 19, clause 5: the header's search box finds referrals, reviews and IMRs by reference, child's and
family members' names (accents and case folded like the anonymiser), agency and title; only what the
person may see; every record shown is in the access log; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from imr.permissions import VIEW_IMR
from referrals.models import FamilyMember
from scr_portal.audit.models import AccessAction, AccessLog
from scr_portal.documents.identifiers import _FOLD, fold
from scr_portal.folding import Fold

from ..factories import AgencyFactory, UserFactory, frozen_at
from ..referrals.factories import submitted
from ..reviews.factories import add_imr, decided_review
from ..scale.test_query_budgets import NOW

pytestmark = pytest.mark.django_db
frozen_time = frozen_at(NOW)

CHILD = "Zoë Ó’Connor-Łukasz"


@pytest.fixture(autouse=True)
def reference_data(db):
    from scr_portal.reference_data import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def case_a(board_a, manager_a, chair_a, agency_x, agency_y):
    """A review on board A of a child with an accented name, a family, and IMRs by agencies X and Y."""
    review = decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    referral = review.referral
    referral.child_name = CHILD
    referral.save(update_fields=["child_name"])
    FamilyMember.objects.create(referral=referral, name="Ngozi Adébáyọ̀", relationship="Mother")
    return review


@pytest.fixture
def case_b(board_b, manager_b):
    """Board B's referral of a child of the same name, with an agency of the same name."""
    agency = AgencyFactory(board=board_b, name="Alpha Police")
    referral = submitted(board=board_b, author=manager_b, child_name=CHILD, referrer_agency=agency)
    FamilyMember.objects.create(referral=referral, name="Ngozi Adébáyọ̀", relationship="Mother")
    return referral


def found(client, query: str) -> dict[str, list[str]]:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    return {
        "referrals": [r.reference for r in results.referrals],
        "reviews": [r.reference for r in results.reviews],
        "imrs": [f"{imr.review.reference}/{imr.agency.name}" for imr in results.imrs],
    }


@pytest.mark.parametrize(
    "query",
    ["zoe o'connor", "ZOË", "o’connor-lukasz", "  zoe   o'CONNOR ", "ó'connor"],
)
def test_child_name_found_whatever_the_accents_and_case(client_as, manager_a, case_a, query):
    results = found(client_as(manager_a), query)
    assert results["referrals"] == [case_a.referral.reference]
    assert results["reviews"] == [case_a.reference]


def test_family_member_name(client_as, manager_a, case_a):
    results = found(client_as(manager_a), "ngozi adebayo")
    assert results["referrals"] == [case_a.referral.reference]
    assert results["reviews"] == [case_a.reference]


def test_reference(client_as, manager_a, case_a):
    client = client_as(manager_a)
    results = found(client, case_a.reference.lower())
    assert results["reviews"] == [case_a.reference]
    assert results["referrals"] == []
    results = found(client, case_a.referral.reference)
    assert results["referrals"] == [case_a.referral.reference]
    assert results["reviews"] == [case_a.reference]


def test_agency_and_titles(client_as, manager_a, case_a, agency_x, agency_y):
    add_imr(case_a, agency_y, author=None, actor=manager_a)
    client = client_as(manager_a)
    by_agency = found(client, "hospitals nhs")
    assert by_agency["imrs"] == [f"{case_a.reference}/{agency_y.name}"]
    assert by_agency["reviews"] == [case_a.reference]
    assert found(client, "individual management")["imrs"] == [f"{case_a.reference}/{agency_y.name}"]
    assert found(client, "serious case review")["reviews"] == [case_a.reference]


def test_other_boards_records_never_found(client_as, manager_a, manager_b, case_a, case_b):
    for query in ("zoe", "ngozi", "alpha police", case_b.reference):
        results = found(client_as(manager_a), query)
        assert case_b.reference not in results["referrals"], query
    results = found(client_as(manager_b), "zoe")
    assert results == {"referrals": [case_b.reference], "reviews": [], "imrs": []}


def test_imr_author_finds_only_their_agencys_imr(client, manager_a, case_a, agency_x, agency_y):
    author = UserFactory(full_name="Ivy Author")
    own = add_imr(case_a, agency_x, author=author, actor=manager_a)
    add_imr(case_a, agency_y, author=None, actor=manager_a)
    assign_perm(VIEW_IMR, author, own)
    client.force_login(author, backend="allauth.account.auth_backends.AuthenticationBackend")
    for query in ("zoe", case_a.reference, "hospitals", "individual management review", "ngozi"):
        results = found(client, query)
        assert results["imrs"] in ([], [f"{case_a.reference}/{agency_x.name}"]), query
        assert results["referrals"] == results["reviews"] == [], query
    assert found(client, "zoe")["imrs"] == [f"{case_a.reference}/{agency_x.name}"]


def test_every_record_shown_is_in_the_access_log(client_as, manager_a, case_a):
    client_as(manager_a).get(reverse("search"), {"q": "Zoe"})
    rows = AccessLog.objects.filter(action=AccessAction.SEARCH)
    assert {(row.object_label, row.board_id, row.url_name, row.path) for row in rows} == {
        (case_a.referral.reference, case_a.board_id, "search", "/search/"),
        (case_a.reference, case_a.board_id, "search", "/search/"),
    }
    assert all(row.user_id == manager_a.pk for row in rows)


def test_nothing_found_logs_nothing(client_as, manager_a, case_a):
    response = client_as(manager_a).get(reverse("search"), {"q": "nobody of that name"})
    assert "No records found" in response.text
    assert not AccessLog.objects.filter(action=AccessAction.SEARCH).exists()


def test_the_header_has_the_search_box(client_as, manager_a):
    page = client_as(manager_a).get(reverse("home")).text
    assert 'role="search"' in page and f'action="{reverse("search")}"' in page


def test_database_folds_like_the_anonymiser(db):
    samples = [CHILD, "Ngozi Adébáyọ̀", "STRAßE", "Renée\u00a0D’Arcy", "soft\u00adhyphen", *_FOLD]
    for sample in samples:
        with connection.cursor() as cursor:
            cursor.execute("SELECT scr_fold(%s)", [sample])
            in_database = cursor.fetchone()[0]
        assert fold(in_database) == fold(sample) or in_database == fold(sample).replace("ł", "l"), sample
    assert Fold  # the expression the search uses


def test_runtime_role_may_use_the_folding(db):
    from scr_portal.db_roles import runtime_role

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_function_privilege(%s, 'scr_fold(text)', 'EXECUTE'),"
            " has_function_privilege(%s, 'word_similarity(text, text)', 'EXECUTE')",
            [runtime_role(), runtime_role()],
        )
        assert cursor.fetchone() == (True, True)


def test_query_budget_does_not_grow(client_as, manager_a, board_b, manager_b, case_a):
    client = client_as(manager_a)

    def count() -> int:
        client.get(reverse("search"), {"q": "zoe"})
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("search"), {"q": "zoe"})
        return len(captured)

    before = count()
    for _ in range(3):
        referral = submitted(board=board_b, author=manager_b, child_name="Zoe Other")
        FamilyMember.objects.create(referral=referral, name="Zoe Family", relationship="Sister")
    assert count() == before <= 20


def test_a_near_miss_of_a_name_is_found_but_not_of_a_reference(client_as, manager_a, case_a, board_a):
    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is PostgreSQL's (pg_trgm)")
    client = client_as(manager_a)
    assert found(client, "Ngozi Adebaio")["referrals"] == [case_a.referral.reference]
    near_reference = case_a.referral.reference[:-1] + "9"
    assert found(client, near_reference)["referrals"] == []


def test_the_embedded_default_folds_with_the_anonymisers_function():
    """The SQLite fallback: `scr_fold` is `fold` itself, registered on each new connection."""
    import sqlite3
    from types import SimpleNamespace

    from scr_portal.folding import register_sqlite_fold

    raw = sqlite3.connect(":memory:")
    register_sqlite_fold(None, SimpleNamespace(vendor="sqlite", connection=raw))
    assert raw.execute("SELECT scr_fold(?)", [CHILD]).fetchone()[0] == fold(CHILD)
    assert raw.execute("SELECT scr_fold(?) LIKE '%' || ? || '%'", [CHILD, "zoe o'connor"]).fetchone()[0] == 1


def test_each_case_is_shown_in_its_own_frameworks_words(client_as, manager_a, board_a, case_a):
    """Issue 20: a board that switched to England 2023 still holds its SCR; the results say which is which."""
    board_a.review_framework = "england-2023"
    board_a.save(update_fields=["review_framework"])
    notified = submitted(board=board_a, author=manager_a, child_name="Zoe Second")
    response = client_as(manager_a).get(reverse("search"), {"q": "zoe"})
    groups = {group.testid: group for group in response.context["results"].groups}
    referrals = {row.link: row.cells for row in groups["search-referrals"].rows}
    assert groups["search-referrals"].columns[1] == "Framework"
    assert referrals[notified.reference][0] == "LCSPR" and referrals[case_a.referral.reference][0] == "SCR"
    assert [row.cells[0] for row in groups["search-reviews"].rows] == ["SCR"]
    assert ">LCSPR</td>" in response.text and ">SCR</td>" in response.text
