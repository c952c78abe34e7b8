"""A referral whose people have the names that trip anonymisers up — an accent (Zoë), an apostrophe
(O'Neill, written with a curly one too), hyphenated surnames (Smith-Jones) — with agency checks sent,
so every referral document can be produced. Rendering is run in the test process: `queued` collects
what would have gone to the worker, and `render_queued` does the worker's job."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from referrals import services as referral_services
from scr_portal.documents import rendering, services
from scr_portal.models import Board, GeneratedDocument
from scr_portal.uploads import file_path

from ..referrals.factories import LONDON, RECEIVED, draft

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=LONDON)  # the day after the referral was received
CHILD = "Zoë Smith-Jones"
MOTHER = "Siobhan O'Neill"
FATHER = "Liam Smith-Jones"
WORKER = "Priya Patel"
CHILD_DOB = dt.date(2020, 5, 1)
MOTHER_DOB = dt.date(1995, 2, 3)
HOME = "12 Acacia Avenue\nSolihull\nB91 3QT"
BOARD_ADDRESS = "Council House\nManor Square\nSolihull\nB91 3QB"
BOARD_PHONE = "0121 704 6000"
BRIEF = (
    "Zoë lived with her mother, Mrs O’Neill, and her father Liam at 12 Acacia Avenue, Solihull, B91 3QT. "
    "ZOE SMITH-JONES was seen by Z. Smith-Jones's GP; Siobhan's phone is 07700 900123 and Zoë's NHS number "
    "is 943 476 5919. Zoë (DOB 01/05/2020) attended Oak Tree Primary School. The Smith-Jones family moved "
    "in May. Practitioner Priya Patel visited; Dr Patel's notes are brief."
)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def board_details(board_a):
    Board.objects.filter(pk=board_a.pk).update(
        address=BOARD_ADDRESS, phone=BOARD_PHONE, secure_mailbox="lscb@alpha.gcsx.gov.uk"
    )
    board_a.refresh_from_db()
    return board_a


def make_referral(*, board, author, agencies, manager, family=None, key_dates=None, **overrides):
    fields = {
        "child_name": CHILD,
        "child_date_of_birth": CHILD_DOB,
        "child_address": HOME,
        "child_ethnicity": "White Irish",
        "child_whereabouts": "At home",
        "child_carer": "Her mother",
        "brief_account": BRIEF,
        "trigger_account": "Zoë was found injured at home.",
    }
    fields.update(overrides)
    referral = draft(board=board, author=author, **fields)
    rows = {
        "family": family
        if family is not None
        else [
            {"name": MOTHER, "relationship": "Mother", "date_of_birth": MOTHER_DOB, "address": HOME},
            {"name": FATHER, "relationship": "Father", "address": HOME},
        ],
        "involved_agencies": [
            {
                "agency": agencies[0],
                "worker_name": WORKER,
                "contact_details": "01632 960 001",
                "still_involved": True,
            }
        ],
        "key_dates": key_dates
        if key_dates is not None
        else [
            {"date": dt.date(2026, 11, 19), "event": "Health visitor saw Zoë at home."},
            {"date": dt.date(2026, 11, 20), "event": "Zoë taken to hospital by ambulance."},
        ],
    }
    for relation, relation_rows in rows.items():
        referral_services.referral_replace_rows(
            referral=referral, actor=author, relation=relation, rows=relation_rows
        )
    referral = referral_services.referral_submit(referral=referral, actor=author, now=RECEIVED)
    return referral_services.referral_send_agency_checks(
        referral=referral, actor=manager, agencies=agencies, now=RECEIVED + dt.timedelta(hours=2)
    )


@pytest.fixture
def referral(board_details, manager_a, chair_a, agency_x, agency_y):
    return make_referral(
        board=board_details, author=manager_a, agencies=[agency_x, agency_y], manager=manager_a
    )


@pytest.fixture
def queued(monkeypatch):
    """Ids of the versions the services queued for the worker (nothing reaches the broker)."""
    ids: list[int] = []
    monkeypatch.setattr("scr_portal.documents.services._queue", lambda document: ids.append(document.pk))
    return ids


@pytest.fixture
def render_queued(queued):
    def run() -> list[GeneratedDocument]:
        done = [rendering.document_render(document_id=pk) for pk in list(queued)]
        queued.clear()
        return done

    return run


@pytest.fixture
def produce(queued, render_queued):
    """Request a document and render it (and its anonymised version): (internal, anonymised or None)."""

    def run(owner, code, actor, **options):
        internal = services.document_request(owner=owner, code=code, actor=actor, options=options)
        render_queued()
        internal.refresh_from_db()
        twin = internal.anonymised_versions.first()
        return internal, twin

    return run


@pytest.fixture
def leaky_twin(referral, manager_a, render_queued):
    """The anonymised Ofsted notification of the referral, rendered as if a layout printed a field that
    skipped the anonymiser: the brief account, names and all, reaches the PDF."""

    def make(brief_account: str) -> GeneratedDocument:
        services.document_request(
            owner=referral, code="notification-ofsted", actor=manager_a, options={"event": "incident"}
        )
        twin = GeneratedDocument.objects.get(anonymised=True)
        twin.context["data"]["brief_account"] = brief_account
        twin.save(update_fields=["context"])
        render_queued()
        twin.refresh_from_db()
        return twin

    return make


def pdf_bytes(document: GeneratedDocument) -> bytes:
    document.refresh_from_db()
    return file_path(document.file).read_bytes()


def pdf_pages(document: GeneratedDocument) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(document))).pages]


def pdf_text(document: GeneratedDocument) -> str:
    return "\n".join(pdf_pages(document))
