"""The integrated chronology's spreadsheet export, built by the documents worker (issue 21): a request
records a job and returns at once; the worker writes the workbook; the job's page shows its progress and
then offers the file.

A job is a folder under MEDIA_ROOT/exports/ (shared by the web servers and the workers, as documents are):
`job.json` says whose it is, for which review and filters, and how far it got; `export.xlsx` is the file.
Only the user who asked may see a job, and only while they may still see the review's chronology."""

import datetime as dt
import json
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404, QueryDict
from django.utils import timezone

from scr_portal.documents.progress import Progress

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
LABELS = {
    QUEUED: "Waiting to be prepared",
    RENDERING: "Being prepared",
    READY: "Ready",
    FAILED: "Could not be prepared",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ExportJob:
    token: str
    review: int
    user: int
    query: str
    filename: str
    status: str = QUEUED
    requested_at: str = ""
    error: str = ""

    @property
    def folder(self) -> Path:
        return _root() / str(self.review) / self.token

    @property
    def file(self) -> Path:
        return self.folder / "export.xlsx"

    @property
    def progress(self) -> Progress:
        return Progress(self.status, LABELS[self.status], dt.datetime.fromisoformat(self.requested_at))

    def save(self, **changes) -> "ExportJob":
        for name, value in changes.items():
            setattr(self, name, value)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / "job.json.part"
        partial.write_text(json.dumps(asdict(self)), encoding="utf-8")
        partial.replace(self.folder / "job.json")  # atomic: a reader never sees half a file
        return self


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def start(review, user, query: str) -> ExportJob:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return ExportJob(
        token=secrets.token_urlsafe(16),
        review=review.pk,
        user=user.pk,
        query=query,
        filename=f"{review.reference}-integrated-chronology-{stamp}.xlsx",
        requested_at=timezone.now().isoformat(),
    ).save()


def load(review_pk: int, token: str) -> ExportJob | None:
    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    try:
        data = json.loads((_root() / str(review_pk) / token / "job.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return ExportJob(**data)


def filter_form(query: QueryDict, review):
    """The integrated chronology's filter form and the filters it gives (none unless the query has some)."""
    from .forms import IntegratedFilterForm
    from .selectors import ChronologyFilters, chronology_filter_options

    agencies, members = chronology_filter_options(review)
    bound = any(key in query for key in ("agency", "family_member", "date_from_0", "date_to_0", "child_seen"))
    form = IntegratedFilterForm(query if bound else None, agencies=agencies, family_members=members)
    return form, (form.filters() if bound else ChronologyFilters())


def job_for(user, review, token: str) -> ExportJob:
    """The user's own job on this review; 404 for anyone else's, or none."""
    job = load(review.pk, token)
    if job is None or job.user != user.pk:
        raise Http404("No such export.")
    return job


def build(job: ExportJob) -> ExportJob:
    """The worker's part: the rows with the job's filters, written as a workbook next to the job."""
    from reviews.models import Review

    from . import chronology_io
    from .selectors import integrated_export_rows

    if job.status == READY:
        return job
    job.save(status=RENDERING)
    try:
        review = Review.objects.select_related("referral").get(pk=job.review)
        _, filters = filter_form(QueryDict(job.query), review)
        rows = integrated_export_rows(review, filters)
        data = chronology_io.export_xlsx(rows, title=f"Integrated chronology of {review.reference}")
    except Exception as error:
        job.save(status=FAILED, error="The spreadsheet could not be prepared. Ask for it again.")
        raise error
    partial = job.folder / "export.xlsx.part"
    partial.write_bytes(data)
    partial.replace(job.file)
    return job.save(status=READY)
