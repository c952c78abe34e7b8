"""What the IMR service tests share: the IMR's deadlines, a refusal with its message, and uploads (a PDF, a
Word file, a chronology spreadsheet)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from imr.models import IMR
from scr_portal.models import Deadline

from ..factories import zipped


def deadlines(imr, code=None):
    found = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(IMR), object_id=imr.pk)
    return found.filter(rule__code=code) if code else found


def refused(call, message):
    with pytest.raises(ValidationError) as caught:
        call()
    assert message in " ".join(caught.value.messages)


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def docx(name="report.docx"):
    return SimpleUploadedFile(
        name, zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})
    )


HEADER = (
    "Event No,Date,Time,Family Member,Child seen/wishes sought or expressed (Y/N),Event,"
    "Agency source to overview,Action taken,Note\n"
)


def csv_upload(body: str, name="chronology.csv"):
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"))
