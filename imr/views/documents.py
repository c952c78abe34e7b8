"""Downloads of the IMR pack that are spreadsheets, not documents of the engine: the App 7 chronology
template (Solihull guidance, Appendix 7), for anyone who may open the IMR."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from imr.documents import app7_template_xlsx

from ..permissions import get_imr_for_user
from ._common import explains_refusal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@explains_refusal
@require_GET
def imr_chronology_app7_template(request: HttpRequest, pk: int) -> HttpResponse:
    imr, _ = get_imr_for_user(request.user, pk)
    response = HttpResponse(app7_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{imr.case_reference}-chronology-template.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
