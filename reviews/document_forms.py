"""The options of a review's documents: which version of the terms of reference, which agency's IMR a
commissioning letter is for, which month's progress report, and when and where the practitioners'
debriefing is. Forms check the input; the context functions in reviews/documents/ read the options.
The IMRs are read through the `review.imrs` relation: the IMR app sits above reviews."""

from django import forms
from django.utils import timezone

from reviews.models import ProgressReport, ToRVersion
from scr_portal.documents.forms import OptionsForm, pick_one
from scr_portal.forms import GovukDateField


class ToRVersionOptionsForm(OptionsForm):
    version = pick_one(
        "Which version of the terms of reference?", "Select the version of the terms of reference"
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["version"].choices = [
            (
                version.number,
                f"Version {version.number}, dated {version.dated.day} {version.dated:%B %Y} "
                f"({version.get_state_display().lower()})",
            )
            for version in ToRVersion.objects.filter(review=owner).order_by("-number")
        ]
        self.govuk_prepare_fields()


class IMROptionsForm(OptionsForm):
    imr = pick_one("Which agency is the letter to?", "Select the agency the letter is to")

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["imr"].choices = [
            (imr.pk, imr.agency.name) for imr in owner.imrs.select_related("agency").order_by("agency__name")
        ]
        self.govuk_prepare_fields()


class ProgressReportOptionsForm(OptionsForm):
    report = pick_one("Which month's report?", "Select the month")

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["report"].choices = [
            (report.pk, f"{report.month:%B %Y}")
            for report in ProgressReport.objects.filter(review=owner).order_by("-month")
        ]
        self.govuk_prepare_fields()


class DebriefOptionsForm(OptionsForm):
    date = GovukDateField(label="Date of the debriefing", help_text="For example, 5 7 2027")
    time = forms.CharField(
        label="Start time",
        max_length=20,
        help_text="For example, 10am or 14:30",
        error_messages={"required": "Enter the start time"},
    )
    venue = forms.CharField(
        label="Venue", max_length=200, error_messages={"required": "Enter where the debriefing is held"}
    )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("The date of the debriefing must be today or in the future")
        return day

    def options(self) -> dict:
        """Plain data for the stored version: the date as ISO text."""
        data = dict(self.cleaned_data)
        data["date"] = data["date"].isoformat() if data.get("date") else ""
        return data
