"""Pages of the document engine: a record's documents, producing a version, its progress and download,
approval, recording it as sent, the anonymisation check and its override, the anonymisation key, and
the wording editor.

Every page fetches the record (or the document, through its record) and authorises in one call from
`scr_portal.documents.permissions`. GET shows; POST calls one service, puts a refusal back on the form,
and redirects (post/redirect/get). Rendering happens in the worker; the progress page polls a small JSON
view and reloads itself when the version is ready."""

import datetime as dt
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scr_portal.forms import posted_data
from scr_portal.models import DocumentDownload, DocumentStatus, GeneratedDocument
from scr_portal.uploads import download_response

from ..viewhelpers import form_page, refusal_page
from . import registry, sandbox, selectors, services
from .forms import KeyPersonForm, MarkSentForm, OverrideForm, WordingForm
from .owners import owner_type_for_content_type
from .permissions import (
    get_board_for_wording,
    get_document_for_user,
    get_key_person_for_user,
    get_owner_for_user,
)
from .progress import Progress

# A version still waiting after this long was probably never picked up (the broker was down when it was
# queued, or a worker died): the page offers to queue it again.
STUCK_AFTER = dt.timedelta(minutes=5)


explains_refusal = refusal_page("documents_ui/forbidden.html")


def _back(owner_type, owner) -> dict:
    """Links every page shows: back to the record, its documents and its key (URL names follow the
    owner type's key: referral_documents, referral_case_key_fill…)."""
    return {
        "owner": owner,
        "owner_type": owner_type,
        "owner_reference": owner_type.reference(owner),
        "owner_url": reverse(owner_type.detail_url_name, args=[owner.pk]),
        "documents_url": reverse(owner_type.documents_url_name, args=[owner.pk]),
        "key_url": reverse(owner_type.key_url_name, args=[owner.pk]),
        "key_fill_url": reverse(f"{owner_type.key}_case_key_fill", args=[owner.pk]),
        "key_add_url": reverse(f"{owner_type.key}_case_key_add", args=[owner.pk]),
    }


def _new_url(owner_type, owner, code: str) -> str:
    return reverse(f"{owner_type.key}_document_new", args=[owner.pk, code])


def _document_context(request, document: GeneratedDocument) -> dict:
    owner_type = owner_type_for_content_type(document.content_type)
    return _back(owner_type, document.owner)


def _document_form_page(request, document, *, form, apply, page: str, **context) -> HttpResponse:
    """A form about one version of a document; done, back to the document."""
    return form_page(
        request,
        form=form,
        apply=apply,
        done=lambda _: redirect("document_detail", document.pk),
        template=f"documents_ui/{page}.html",
        context={**_document_context(request, document), "document": document, **context},
    )


def _key_person_page(request, owner_type, owner, *, form, apply, person) -> HttpResponse:
    """Adding or changing one person of the key; done, back to the key."""
    return form_page(
        request,
        form=form,
        apply=apply,
        done=lambda _: redirect(owner_type.key_url_name, owner.pk),
        template="documents_ui/key_person.html",
        context={**_back(owner_type, owner), "person": person},
    )


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- A record's documents -----------------------------------------------------------------------------


@explains_refusal
@require_GET
def owner_documents(request: HttpRequest, pk: int, owner_type: str) -> HttpResponse:
    owner_type_obj, owner = get_owner_for_user(request.user, owner_type, pk)
    rows = selectors.documents_for_owner(owner, owner_type_key=owner_type)
    for row in rows:
        row.new_url = _new_url(owner_type_obj, owner, row.kind.code)
    return render(
        request,
        "documents_ui/owner_documents.html",
        {
            **_back(owner_type_obj, owner),
            "rows": rows,
            "may_request": owner_type_obj.may(request.user, owner, "request"),
            "key_count": len(selectors.key_rows(owner)),
        },
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, pk: int, owner_type: str, code: str) -> HttpResponse:
    owner_type_obj, owner = get_owner_for_user(request.user, owner_type, pk, "request")
    kind = registry.get_kind(code)
    if kind is None or kind.owner_type != owner_type:
        raise Http404("No such document.")
    missing = kind.missing(owner)
    form_class = kind.options_form_class()
    form = form_class(posted_data(request), owner=owner) if form_class else None
    if request.method == "POST" and not missing and (form is None or form.is_valid()):
        try:
            document = services.document_request(
                owner=owner, code=code, actor=request.user, options=form.options() if form else {}
            )
        except ValidationError as error:
            if form is None:
                missing = error.messages
            else:
                form.add_service_error(error)
        else:
            messages.success(request, f"{kind.title}: version {document.version} is being prepared.")
            return redirect("document_detail", document.pk)
    return render(
        request,
        "documents_ui/new.html",
        {
            **_back(owner_type_obj, owner),
            "kind": kind,
            "form": form,
            "missing": missing,
            "new_url": _new_url(owner_type_obj, owner, code),
        },
    )


# --- One version --------------------------------------------------------------------------------------


@explains_refusal
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    owner_type = owner_type_for_content_type(document.content_type)
    owner = document.owner
    kind = registry.get_kind(document.code)
    check = selectors.latest_check(document) if document.anonymised else None
    twin = None
    if document.anonymised:
        twin = document.internal_version
    else:
        twin = selectors.anonymised_twin(document)
    may = {
        action: owner_type.may(request.user, owner, action) for action in ("request", "approve", "override")
    }
    problem = selectors.release_problem(document, check=check)
    waiting = document.status in {DocumentStatus.QUEUED, DocumentStatus.RENDERING}
    return render(
        request,
        "documents_ui/detail.html",
        {
            **_back(owner_type, owner),
            "document": document,
            "kind": kind,
            "check": check,
            "twin": twin,
            "twin_check": selectors.latest_check(twin) if twin and twin.anonymised else None,
            "may": may,
            "problem": problem,
            "waiting": waiting,
            "progress": Progress(document.status, document.get_status_display(), document.requested_at),
            "stuck": waiting and document.requested_at < timezone.now() - STUCK_AFTER,
            "may_send": document.status == DocumentStatus.READY
            and not document.draft
            and (document.anonymised or not kind.external)
            and not problem
            and document.sent_recorded_at is None,
            "downloads": DocumentDownload.objects.filter(document=document).select_related("user")[:20],
        },
    )


@require_GET
def document_status(request: HttpRequest, pk: int) -> JsonResponse:
    try:
        document = get_document_for_user(request.user, pk)
    except PermissionDenied:
        raise Http404("No such document.") from None
    return JsonResponse(
        {"status": document.status, "label": document.get_status_display()},
        headers={"Cache-Control": "no-store"},
    )


@explains_refusal
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    try:
        stored = services.document_download_record(
            document=document, user=request.user, ip_address=_client_ip(request)
        )
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("document_detail", document.pk)
    return download_response(stored)


@explains_refusal
@require_POST
def document_retry(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, "request")
    try:
        services.document_retry(document=document, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, "The document is being prepared again.")
    return redirect("document_detail", document.pk)


@explains_refusal
@require_POST
def document_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, "request")
    try:
        check = services.document_check(document=document, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        if check.outcome == "passed":
            messages.success(request, "The check found nothing that identifies anyone.")
        else:
            messages.error(request, "The check found personal details. They are listed below.")
    return redirect("document_detail", document.pk)


@explains_refusal
@require_http_methods(["GET", "POST"])
def document_approve(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, "approve")
    error = ""
    if request.method == "POST":
        try:
            final = services.document_approve(document=document, actor=request.user)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(
                request, f"Approved. Version {final.version} is being prepared without the DRAFT mark."
            )
            return redirect("document_detail", final.pk)
    return render(
        request,
        "documents_ui/approve.html",
        {**_document_context(request, document), "document": document, "error": error},
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def document_override(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, "override")
    check = selectors.latest_check(document) if document.anonymised else None
    if check is None or check.releases:
        messages.error(request, services.NOTHING_TO_OVERRIDE)
        return redirect("document_detail", document.pk)

    def apply(data):
        services.anonymisation_override(check=check, actor=request.user, reason=data["reason"])
        messages.success(request, "The check has been overridden. Your reason is recorded with the document.")

    return _document_form_page(
        request, document, form=OverrideForm(posted_data(request)), apply=apply, page="override", check=check
    )


@explains_refusal
@require_http_methods(["GET", "POST"])
def document_mark_sent(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk, "request")
    today = timezone.localdate()
    form = MarkSentForm(posted_data(request), today=today, initial={"sent_on": today})
    if request.method == "GET":
        problem = selectors.release_problem(document)
        if problem:
            messages.error(request, problem)
            return redirect("document_detail", document.pk)

    def apply(data):
        services.document_mark_sent(document=document, actor=request.user, **data)
        messages.success(request, f"Recorded as sent to {data['sent_to']}.")

    return _document_form_page(request, document, form=form, apply=apply, page="mark_sent")


# --- The anonymisation key ----------------------------------------------------------------------------


@explains_refusal
@require_GET
def case_key(request: HttpRequest, pk: int, owner_type: str) -> HttpResponse:
    owner_type_obj, owner = get_owner_for_user(request.user, owner_type, pk)
    return render(
        request,
        "documents_ui/case_key.html",
        {
            **_back(owner_type_obj, owner),
            "people": selectors.key_rows(owner),
            "may_edit": owner_type_obj.may(request.user, owner, "edit_key"),
        },
    )


@explains_refusal
@require_POST
def case_key_fill(request: HttpRequest, pk: int, owner_type: str) -> HttpResponse:
    owner_type_obj, owner = get_owner_for_user(request.user, owner_type, pk, "edit_key")
    added = services.case_key_fill(owner=owner, actor=request.user)
    messages.success(
        request,
        f"{added} {'person has' if added == 1 else 'people have'} been added from the {owner_type_obj.label}."
        if added
        else f"The key already has everyone the {owner_type_obj.label} names.",
    )
    return redirect(owner_type_obj.key_url_name, owner.pk)


@explains_refusal
@require_http_methods(["GET", "POST"])
def case_key_person_add(request: HttpRequest, pk: int, owner_type: str) -> HttpResponse:
    owner_type_obj, owner = get_owner_for_user(request.user, owner_type, pk, "edit_key")
    form = KeyPersonForm(posted_data(request))

    def apply(_):
        person = services.case_key_person_add(owner=owner, actor=request.user, **form.values())
        messages.success(request, f"{person.pseudonym} has been added to the key.")

    return _key_person_page(request, owner_type_obj, owner, form=form, apply=apply, person=None)


@explains_refusal
@require_http_methods(["GET", "POST"])
def case_key_person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_key_person_for_user(request.user, pk)
    owner_type = owner_type_for_content_type(person.content_type)
    initial = {
        name: getattr(person, name)
        for name in ("real_name", "pseudonym", "role", "aliases", "date_of_birth", "address", "school")
    }
    form = KeyPersonForm(posted_data(request), initial=initial, filled=bool(person.source_ref))

    def apply(data):
        services.case_key_person_update(person=person, actor=request.user, **form.values())
        messages.success(request, f"The key entry for {data['pseudonym']} has been saved.")

    return _key_person_page(request, owner_type, person.owner, form=form, apply=apply, person=person)


@explains_refusal
@require_POST
def case_key_person_remove(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_key_person_for_user(request.user, pk)
    owner_type = owner_type_for_content_type(person.content_type)
    try:
        services.case_key_person_remove(person=person, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"{person.pseudonym} has been removed from the key.")
    return redirect(owner_type.key_url_name, person.object_id)


# --- Wording ------------------------------------------------------------------------------------------


def _digest(body: str) -> str:
    return hashlib.sha256(body.replace("\r\n", "\n").encode()).hexdigest()


@explains_refusal
@require_GET
def wording_list(request: HttpRequest) -> HttpResponse:
    board = get_board_for_wording(request.user, request.board)
    rows = []
    for wording in registry.wordings():
        _, version = selectors.active_wording(board=board, code=wording.code)
        rows.append({"wording": wording, "kind": registry.get_kind(wording.kind), "version": version})
    return render(request, "documents_ui/wording_list.html", {"board": board, "rows": rows})


@explains_refusal
@require_http_methods(["GET", "POST"])
def wording_edit(request: HttpRequest, code: str) -> HttpResponse:
    board = get_board_for_wording(request.user, request.board)
    wording = registry.get_wording(code)
    if wording is None:
        raise Http404("No such wording.")
    kind = registry.get_kind(wording.kind)
    body, version = selectors.active_wording(board=board, code=code)
    form = WordingForm(posted_data(request), initial={"body": body})
    preview, previewed = None, ""
    if request.method == "POST" and form.is_valid():
        new_body = form.cleaned_data["body"]
        # Saving needs a preview of exactly this text first; edited since the preview, it is previewed again.
        if request.POST.get("action") == "save" and request.POST.get("previewed") == _digest(new_body):
            try:
                saved = services.wording_save(
                    board=board, code=code, body=new_body, actor=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as refusal:
                form.add_service_error(refusal)
            else:
                messages.success(request, f"{wording.title}: version {saved.version} saved and now in use.")
                return redirect("document_wording_edit", code)
        else:
            try:
                preview = services.wording_preview(code=code, body=new_body)
            except sandbox.WordingError as error:
                form.add_service_error(ValidationError({"body": error.messages}))
            else:
                previewed = _digest(new_body)
    fields = []
    for name in sandbox.flatten_variables(kind.sample()):
        description = kind.descriptions.get(name, "")
        if "[each]." in name:
            list_name, item_field = name.split("[each].", 1)
            name, description = f"item.{item_field}", f"{description} (inside a for loop over {list_name})"
        fields.append((name, description))
    return render(
        request,
        "documents_ui/wording_edit.html",
        {
            "board": board,
            "wording": wording,
            "kind": kind,
            "form": form,
            "preview": preview,
            "previewed": previewed,
            "version": version,
            "fields": fields,
            "history": selectors.wording_history(board=board, code=code)[:20],
        },
    )
