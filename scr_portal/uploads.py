"""Checking and storing uploads. The type is decided by the content, never the name: a renamed
executable is refused whatever it is called. Macro-enabled Office files are refused too."""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone

from .models import StoredFile
from .scanning import check_released, initial_status, queue_scan
from .storage import file_path, storage_root

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_TYPES = frozenset({"pdf", "docx", "odt"})
SPREADSHEET_TYPES = frozenset({"csv", "xlsx"})
TYPE_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "odt": "OpenDocument text (ODT)",
    "xlsx": "Excel (XLSX)",
    "csv": "CSV",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
MACROS = "The file contains macros. Save it without macros and upload it again."


def detect_type(data: bytes) -> str | None:
    """pdf, docx, odt, xlsx or csv from the first bytes and, for zip-based formats, their parts."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return "macro"
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    return "odt" if mimetype == CONTENT_TYPES["odt"] else None
                if "[Content_Types].xml" in names:
                    if "word/document.xml" in names:
                        return "docx"
                    if "xl/workbook.xml" in names:
                        return "xlsx"
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        data[:65536].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "csv"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    data: bytes
    file_type: str


def check_upload(upload, *, allowed: frozenset[str], max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedUpload:
    """Refuse an upload that is too big or not of an allowed type by its content. Messages follow the
    GOV.UK file upload pattern."""
    if upload is None:
        raise ValidationError("Select a file")
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > max_bytes:
        raise ValidationError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)}MB")
    data = upload.read()
    file_type = detect_type(data)
    if file_type == "macro":
        raise ValidationError(MACROS)
    if file_type not in allowed:
        names = " or ".join(TYPE_LABELS[kind] for kind in sorted(allowed))
        raise ValidationError(f"The selected file must be a {names}")
    return CheckedUpload(name=Path(upload.name).name[:255], data=data, file_type=file_type)


def store_file(*, checked: CheckedUpload, board, owner, kind: str, actor) -> StoredFile:
    """Write the file under a random name and record it. Call inside the service's transaction; if the
    transaction rolls back the orphan file is harmless (no row points to it)."""
    content_type = ContentType.objects.get_for_model(owner)
    previous = (
        StoredFile.objects.filter(content_type=content_type, object_id=owner.pk, kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    stored_name = StoredFile.new_stored_name()
    path = storage_root() / stored_name[:2] / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(checked.data)
    stored = StoredFile.objects.create(
        board=board,
        content_type=content_type,
        object_id=owner.pk,
        kind=kind,
        original_name=checked.name,
        stored_name=stored_name,
        file_type=checked.file_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        version=(previous or 0) + 1,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        scan_status=initial_status(),
    )
    queue_scan(stored)
    return stored


def download_response(stored: StoredFile) -> FileResponse:
    """Always an attachment, with the detected type, so a browser never renders an uploaded file inline.
    Refused (FileNotReleased, a 403) until the virus scan has passed."""
    check_released(stored)
    response = FileResponse(
        file_path(stored).open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=CONTENT_TYPES[stored.file_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
