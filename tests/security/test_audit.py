"""The audit trail on PostgreSQL: the access log records views, downloads and exports, cannot be changed
(a trigger refuses UPDATE and DELETE), is shown to the business manager and exported by the auditor; the
change history catches saves and bulk updates with the request's user and URL."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from pghistory.models import Events

from referrals.models import FamilyMember, Referral
from reviews.models import Review
from scr_portal.audit.cases import CaseRef, board_and_label
from scr_portal.models import AccessAction, AccessLog, InformationRequest

from ..referrals.workflow_helpers import notification
from ..reviews.factories import decided_review


@pytest.fixture
def review(board_a, chair_a, manager_a, agency_x, agency_y):
    return decided_review(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x, agency_y])


def referral_log(referral):
    return AccessLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral), object_id=referral.pk
    )


def test_viewing_a_case_page_is_logged_with_user_board_and_ip(client_as, review, manager_a):
    referral = review.referral
    client = client_as(manager_a)
    assert (
        client.get(reverse("referral_detail", args=[referral.pk]), REMOTE_ADDR="203.0.113.9").status_code
        == 200
    )
    row = referral_log(referral).get()
    assert (row.user, row.board_id, row.action, row.ip_address) == (
        manager_a,
        referral.board_id,
        "view",
        "203.0.113.9",
    )
    assert row.object_label == referral.reference


def test_a_refused_page_is_not_logged_as_access(client_as, review, manager_b):
    client_as(manager_b).get(reverse("referral_detail", args=[review.referral.pk]))
    assert not referral_log(review.referral).exists()


def test_an_export_is_logged_as_export(client_as, review, manager_a):
    client = client_as(manager_a)
    response = client.get(reverse("integrated_chronology_export", args=[review.pk, "csv"]))
    assert response.status_code == 200
    row = AccessLog.objects.get(content_type=ContentType.objects.get_for_model(Review), object_id=review.pk)
    assert row.action == AccessAction.EXPORT


def test_the_access_log_refuses_update_and_delete_in_the_database(client_as, review, manager_a):
    client_as(manager_a).get(reverse("referral_detail", args=[review.referral.pk]))
    row = referral_log(review.referral).get()
    for sql in (
        f"UPDATE {AccessLog._meta.db_table} SET user_name = 'Someone else' WHERE id = %s",  # noqa: S608 (constant table name)
        f"DELETE FROM {AccessLog._meta.db_table} WHERE id = %s",  # noqa: S608
    ):
        with (
            # The runtime role has no UPDATE/DELETE grant; the owner would meet the append-only trigger.
            pytest.raises(DatabaseError, match="permission denied|Cannot"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(action="print")
    row.refresh_from_db()
    assert (row.user_name, row.action) == ("Alice Manager", "view")


def test_business_manager_sees_who_accessed_the_case(client_as, review, manager_a, chair_a):
    client_as(chair_a).get(reverse("referral_detail", args=[review.referral.pk]))
    client = client_as(manager_a)
    response = client.get(reverse("referral_access_log", args=[review.referral.pk]))
    assert response.status_code == 200
    assert "Carol Chair" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("chair_a", 403), ("manager_b", 404), ("auditor_a", 200), ("manager_a", 200)]
)
def test_who_accessed_page_is_for_manager_and_auditor_only(client_as, review, persona, status, request):
    client = client_as(request.getfixturevalue(persona))
    for name in ("referral_access_log", "referral_history"):
        assert client.get(reverse(name, args=[review.referral.pk])).status_code == status
    for name in ("review_access_log", "review_history"):
        assert client.get(reverse(name, args=[review.pk])).status_code == status


def test_auditor_exports_the_log_for_a_period_as_csv(client_as, review, manager_a, auditor_a):
    client_as(manager_a).get(reverse("referral_detail", args=[review.referral.pk]))
    client = client_as(auditor_a)
    url = reverse("board_access_log", args=[review.board_id])
    response = client.get(url, {"from": "2000-01-01", "to": "2100-12-31", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["When", "User", "Action"]
    assert any(
        r[1] == "Alice Manager" and r[2] == "view" and r[5] == review.referral.reference for r in rows[1:]
    )
    # The export is itself in the log.
    assert AccessLog.objects.filter(user=auditor_a, action=AccessAction.EXPORT).exists()


def test_board_access_log_is_refused_to_others(client_as, review, chair_a, manager_b):
    url = reverse("board_access_log", args=[review.board_id])
    assert client_as(chair_a).get(url).status_code == 403
    assert client_as(manager_b).get(url).status_code == 404


def test_change_history_records_saves_and_bulk_updates(review):
    referral = Referral.objects.get(pk=review.referral_id)
    before = Events.objects.tracks(referral).count()
    referral.child_name = "Changed by save"
    referral.save(update_fields=["child_name"])
    Referral.objects.filter(pk=referral.pk).update(child_name="Changed in bulk")
    events = list(Events.objects.tracks(referral).order_by("pgh_created_at", "pgh_id"))
    assert len(events) == before + 2
    assert events[-1].pgh_diff["child_name"] == ["Changed by save", "Changed in bulk"]
    FamilyMember.objects.create(referral=referral, name="New mother", relationship="Mother")
    assert any(e.pgh_model.endswith("FamilyMemberEvent") for e in Events.objects.references(referral))


def test_history_records_the_request_user_and_url(client_as, review, manager_a):
    referral = review.referral
    client = client_as(manager_a)
    url = reverse("referral_notify", args=[referral.pk])
    data = notification(sent_on_0="20", anonymised_text="Child A, aged 6.")
    assert client.post(url, data).status_code == 302
    event = next(
        e for e in Events.objects.references(referral) if e.pgh_model.endswith("ExternalNotificationEvent")
    )
    assert event.pgh_context["user"] == manager_a.pk
    assert event.pgh_context["url"] == url
    page = client.get(reverse("referral_history", args=[referral.pk])).content.decode()
    assert "ExternalNotification" in page and "Alice Manager" in page and url in page


def test_subject_access_request_is_logged_and_exports_what_is_held(client_as, review, manager_a, chair_a):
    FamilyMember.objects.create(referral=review.referral, name="Marigold Person", relationship="Mother")
    client = client_as(manager_a)
    url = reverse("board_information_requests", args=[review.board_id])
    data = {
        "kind": "sar",
        "requester": "Marigold Person",
        "subject_name": "marigold person",
        "received_on": "2027-01-31",
    }
    assert client.post(url, data).status_code == 302
    info = InformationRequest.objects.get()
    assert info.due_on.isoformat() == "2027-02-28"  # one calendar month, clamped to the month's end
    export = reverse("board_information_request_export", args=[review.board_id, info.pk])
    response = client.get(export)
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Family member", review.referral.reference, "name", "Marigold Person"] in rows
    assert AccessLog.objects.filter(user=manager_a, action="export", object_id=info.pk).exists()
    # Business manager only.
    assert client_as(chair_a).get(export).status_code == 403
    assert client_as(chair_a).get(url).status_code == 403


def test_foi_request_is_due_in_twenty_working_days(client_as, review, manager_a):
    client = client_as(manager_a)
    url = reverse("board_information_requests", args=[review.board_id])
    client.post(
        url, {"kind": "foi", "requester": "A journalist", "received_on": "2027-03-01", "summary": "x"}
    )
    # 20 working days from Monday 1 March 2027, skipping Good Friday and Easter Monday (26 and 29 March).
    assert InformationRequest.objects.get().due_on.isoformat() == "2027-03-31"


@pytest.mark.parametrize("page", ["referral_detail", "review_detail"])
def test_a_case_page_hands_the_case_it_loaded_to_the_access_log(client_as, review, manager_a, page):
    """The page gives the access log the case it loaded (`shows_case`), so the log does not read it again;
    the row is the one a read of the database gives."""
    case = review.referral if page == "referral_detail" else review
    response = client_as(manager_a).get(reverse(page, args=[case.pk]))
    assert response.status_code == 200 and response.wsgi_request.case_shown == case
    row = AccessLog.objects.latest("pk")
    expected = (case.board_id, case.reference)
    assert (row.board_id, row.object_label) == expected == board_and_label(CaseRef(type(case), case.pk))
    assert (row.content_type.model_class(), row.object_id) == (type(case), case.pk)


def test_the_access_log_reads_the_case_unless_the_page_loaded_that_very_one(
    review, django_assert_num_queries
):
    ref = CaseRef(Review, review.pk)
    with django_assert_num_queries(0):
        assert board_and_label(ref, review) == (review.board_id, review.reference)
    for other in (review.referral, Review(pk=review.pk + 1, board_id=review.board_id, reference="other")):
        with django_assert_num_queries(1):
            assert board_and_label(ref, other) == (review.board_id, review.reference)
