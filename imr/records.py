"""The IMR app's case record in the kernel's registry (scr_portal/records.py), and the interview and
genogram rows a subject access export lists. Registered from ImrConfig.ready()."""

from scr_portal import records
from scr_portal.records import CaseRecord, Holding

from .models import IMR, GenogramPerson, Interview
from .permissions import get_imr_for_user


def interviewees_named(board, name: str) -> list[Holding]:
    interviews = Interview.objects.filter(imr__review__board=board, interviewee_name__icontains=name)
    return [
        Holding.of("IMR interview", interview.imr.review.reference, field, getattr(interview, field))
        for interview in interviews.select_related("imr__review")
        for field in ("interviewee_name", "job_title", "interview_date", "summary")
    ]


def genogram_people_named(board, name: str) -> list[Holding]:
    people = GenogramPerson.objects.filter(imr__review__board=board, label__icontains=name)
    return [
        Holding("Genogram", person.imr.review.reference, "label", person.label)
        for person in people.select_related("imr__review")
    ]


def register() -> None:
    records.register(
        CaseRecord(
            kind="imr",
            model=IMR,
            url_prefix="imr_",
            route="imr/<int:pk>/",
            board="review__board",
            reference="review__reference",
            title="IMR",
            get_for_user=get_imr_for_user,
        )
    )
    records.register_personal_data(interviewees_named, order=40)
    records.register_personal_data(genogram_people_named, order=50)
