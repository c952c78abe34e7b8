"""The genogram's people and relationships (Solihull App 15)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from scr_portal.forms import posted_data

from ... import services
from ...forms import GenogramPersonForm, GenogramRelationshipForm
from ...models import IMR, GenogramPerson, GenogramRelationship
from ...permissions import IMRAccess
from ...selectors import genogram
from .._common import author_page, confirm_removal, form_page, item_page, shown_page
from .page import _editable, _url

# --- Genogram (Solihull App 15) -----------------------------------------------------------------------


@shown_page()
def imr_genogram(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    people, lines = genogram(imr)
    return render(
        request,
        "imr/genogram.html",
        {"imr": imr, "people": people, "lines": lines, "editable": _editable(imr, access)},
    )


def _genogram_url(imr: IMR) -> str:
    return _url("imr_genogram", imr)


@author_page
def imr_genogram_person(request: HttpRequest, imr: IMR, person_pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(GenogramPerson, pk=person_pk, imr=imr) if person_pk else None
    form = GenogramPersonForm(posted_data(request), person=person)

    def apply(data):
        saved = services.genogram_person_save(imr=imr, actor=request.user, person=person, **data)
        messages.success(request, f"{saved.label} has been saved on the genogram.")
        return redirect(_genogram_url(imr))

    return item_page(
        request,
        imr,
        form,
        apply,
        item=person and person.label,
        add="Add a person to the genogram",
        remove_url=person and _url("imr_genogram_person_delete", imr, person.pk),
        remove_label=person and f"Remove {person.label} from the genogram",
        back_url=_genogram_url(imr),
    )


@author_page
def imr_genogram_person_delete(request: HttpRequest, imr: IMR, person_pk: int) -> HttpResponse:
    person = get_object_or_404(GenogramPerson, pk=person_pk, imr=imr)
    return confirm_removal(
        request,
        imr,
        lambda: services.genogram_person_delete(imr=imr, actor=request.user, person=person),
        f"{person.label} from the genogram",
        done=f"{person.label} has been removed from the genogram.",
        warning="Their relationship lines are removed too.",
        back_url=_genogram_url(imr),
    )


@author_page
def imr_genogram_relationship(request: HttpRequest, imr: IMR) -> HttpResponse:
    form = GenogramRelationshipForm(posted_data(request), imr=imr)

    def apply(data):
        services.genogram_relationship_add(imr=imr, actor=request.user, **data)
        messages.success(request, "The relationship has been added to the genogram.")
        return redirect(_genogram_url(imr))

    return form_page(
        request,
        imr,
        form,
        apply,
        heading="Add a relationship",
        button="Add the relationship",
        back_url=_genogram_url(imr),
    )


@author_page
def imr_genogram_relationship_delete(request: HttpRequest, imr: IMR, line_pk: int) -> HttpResponse:
    line = get_object_or_404(
        GenogramRelationship.objects.select_related("person_a", "person_b"), pk=line_pk, imr=imr
    )
    return confirm_removal(
        request,
        imr,
        lambda: services.genogram_relationship_delete(imr=imr, actor=request.user, line=line),
        f"the line between {line.person_a} and {line.person_b}",
        done="The relationship has been removed from the genogram.",
        back_url=_genogram_url(imr),
    )
