"""Case data for the restore drill (test_restore_drill.py), run in a subprocess against the drill's own
PostgreSQL (DATABASE_URL) and media folder (MEDIA_ROOT), built through the services and the factories:

    python -m tests.integration.restore_drill_data case       a referral through the Chair's decision, an
                                                               IMR with an uploaded report, access-log rows
    python -m tests.integration.restore_drill_data more LABEL  one more decided referral and uploaded report
    python -m tests.integration.restore_drill_data late-upload one more report version (after the last
                                                               media backup, so its file cannot be restored)
    python -m tests.integration.restore_drill_data report      what the database holds (below)
    python -m tests.integration.restore_drill_data sign-in EMAIL SECRET
                                                               password and authenticator code, home page

Each prints one JSON line last: the report (and for `case` the account to sign in with).
"""

import datetime as dt
import itertools
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr_portal.settings.test")
django.setup()

import time_machine  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from imr import services as imr_services  # noqa: E402
from imr.models import IMR  # noqa: E402
from referrals.models import Decision, Referral  # noqa: E402
from scr_portal.audit.models import AccessLog  # noqa: E402
from scr_portal.backup import missing_files  # noqa: E402
from scr_portal.models import Board, Role, StoredFile, User  # noqa: E402
from scr_portal.reference_data import ensure_reference_data  # noqa: E402
from tests.factories import TEST_PASSWORD, AgencyFactory, BoardFactory, UserFactory, member  # noqa: E402
from tests.imr import factories as imr_factories  # noqa: E402
from tests.referrals.factories import LONDON, decide, recommended  # noqa: E402

DECIDED_AT = dt.datetime(2026, 12, 8, 11, tzinfo=LONDON)
# Each batch runs in a new process: the IMR factories' referral numbers must not collide with the last
# batch's, nor with the references the referral service gives (DRILL-2026-0001, ...).
BATCH_NUMBERS = {"first": 100, "before": 200, "after": 300}


def pdf(label: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"report-{label}.pdf", f"%PDF-1.4\n%{label}\n%%EOF\n".encode())


def decided_referral(board: Board, label: str) -> Referral:
    UserFactory.reset_sequence(BATCH_NUMBERS[label])
    AgencyFactory.reset_sequence(BATCH_NUMBERS[label])
    manager = member(board=board, role=Role.BUSINESS_MANAGER, full_name=f"Manager {label}")
    chair = member(board=board, role=Role.LSCB_CHAIR, full_name=f"Chair {label}")
    agency = AgencyFactory(board=board, name=f"Police {label}")
    contact = member(board=board, role=Role.AGENCY_CONTACT, agency=agency, full_name=f"Contact {label}")
    referral = recommended(board=board, author=contact, manager=manager, agencies=[agency])
    decide(referral, actor=chair, members_consulted="Police, health", now=DECIDED_AT)
    return referral


def imr_with_report(board: Board, label: str) -> IMR:
    imr_factories._numbers = itertools.count(BATCH_NUMBERS[label])
    with time_machine.travel(imr_factories.NOW, tick=True):
        manager = member(board=board, role=Role.BUSINESS_MANAGER, full_name=f"IMR manager {label}")
        agency = AgencyFactory(board=board, name=f"Hospital {label}")
        contact = member(
            board=board, role=Role.AGENCY_CONTACT, agency=agency, full_name=f"IMR contact {label}"
        )
        review = imr_factories.review_ready(board=board, created_by=manager)
        imr_factories.confirm_involved(review, agency, sent_by=manager)
        imr = imr_factories.commission(review, [agency], actor=manager)[0]
        imr = imr_factories.nominate(imr, actor=contact, email=f"author-{label.lower()}@example.org")
        imr = imr_services.imr_start_preparation(
            imr=imr, actor=imr.author, records_secured_on=imr_factories.TODAY - dt.timedelta(days=10)
        )
        imr = IMR.objects.select_related("author", "review__board").get(pk=imr.pk)
        imr_services.imr_report_upload(imr=imr, actor=imr.author, upload=pdf(label))
    return imr


def look_at(user: User, referral: Referral, imr: IMR) -> None:
    """Page views through the whole middleware stack, so the access log records them."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    for path in (f"/referrals/{referral.pk}/", f"/imr/{imr.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def report() -> dict:
    return {
        "referrals": sorted(Referral.objects.values_list("reference", flat=True)),
        "decisions": Decision.objects.count(),
        "imrs": IMR.objects.count(),
        "stored_files": sorted(StoredFile.objects.values_list("stored_name", flat=True)),
        "access_log": AccessLog.objects.count(),
        "users": User.objects.count(),
        "missing_files": [stored.stored_name for stored in missing_files()],
    }


def case() -> dict:
    ensure_reference_data()
    board = BoardFactory(name="Drill Local Safeguarding Children Board", short_name="DRILL")
    referral = decided_referral(board, "first")
    imr = imr_with_report(board, "first")
    viewer = member(board=board, role=Role.BUSINESS_MANAGER, full_name="Vera Viewer")
    look_at(viewer, referral, imr)
    return {"sign_in": {"email": viewer.email, "secret": viewer.totp_secret}, **report()}


def more(label: str) -> dict:
    board = Board.objects.get(short_name="DRILL")
    referral = decided_referral(board, label)
    imr = imr_with_report(board, label)
    look_at(User.objects.get(full_name="Vera Viewer"), referral, imr)
    return report()


def late_upload() -> dict:
    """A new version of the last IMR's report, uploaded after the last media backup: its row will be
    restored from the WAL, its file cannot be."""
    imr = IMR.objects.select_related("author", "review__board").order_by("-pk").first()
    with time_machine.travel(imr_factories.NOW, tick=True):
        stored = imr_services.imr_report_upload(imr=imr, actor=imr.author, upload=pdf("late"))
    return {"late": stored.stored_name, **report()}


def totp_code(secret: str) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in(email: str, secret: str) -> dict:
    client = Client()
    client.get("/accounts/login/")
    first = client.post("/accounts/login/", {"login": email, "password": TEST_PASSWORD})
    second = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, follow=True)
    home = client.get("/")
    return {
        "password_step": first.status_code,
        "second_factor_url": first.get("Location", ""),
        "home": home.status_code,
        "signed_in": "Sign out" in home.content.decode() and second.status_code == 200,
    }


def main(argv: list[str]) -> None:
    setup_test_environment()
    command, *args = argv
    steps = {"case": case, "more": more, "late-upload": late_upload, "report": report, "sign-in": sign_in}
    result = steps[command](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
