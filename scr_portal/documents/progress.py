"""What the pages that wait for the documents worker show (a PDF version, a spreadsheet export): the step
the job is at, how long it has been waiting, and whether the page should keep asking
(templates/components/job_progress.html, static/js/document-progress.mjs)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

STEPS = ("queued", "rendering", "ready")


@dataclass(frozen=True)
class Progress:
    status: str
    label: str
    requested_at: dt.datetime

    @property
    def waiting(self) -> bool:
        return self.status in STEPS[:2]

    @property
    def step(self) -> int:
        """1 while queued, 2 while being prepared, 3 when ready (of 3)."""
        return STEPS.index(self.status) + 1 if self.status in STEPS else 0

    @property
    def seconds(self) -> int:
        return max(0, int((timezone.now() - self.requested_at).total_seconds()))
