"""The genogram's people and relationships (Solihull App 15)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from scr_portal.forms import posted_data

from ... import services
from ...forms import GenogramPersonForm, GenogramRelationshipForm
from ...models import IMR, GenogramPerson, GenogramRelationship
from ...parts import GENOGRAM
from ...permissions import IMRAccess
from ...selectors import genogram
from .._common import author_page, form_page, item_page, removal_page, shown_page
from .._common import editable as _editable
from .page import _url

# --- Genogram (Solihull App 15) -----------------------------------------------------------------------


genogram_page = author_page(GENOGRAM)


@shown_page()
def imr_genogram(request: HttpRequest, imr: IMR, access: IMRAccess) -> HttpResponse:
    people, lines = genogram(imr)
    return render(
        request,
        "imr/genogram.html",
        {"imr": imr, "people": people, "lines": lines, "editable": _editable(imr, access, GENOGRAM)},
    )


def _genogram_url(imr: IMR) -> str:
    return _url("imr_genogram", imr)


@genogram_page
def imr_genogram_person(request: HttpRequest, imr: IMR, person_pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(GenogramPerson, pk=person_pk, imr=imr) if person_pk else None
    return item_page(
        request,
        imr,
        GenogramPersonForm(posted_data(request), item=person),
        lambda data: services.genogram_person_save(imr=imr, actor=request.user, person=person, **data),
        item=person and person.label,
        add="Add a person to the genogram",
        remove_url=person and _url("imr_genogram_person_delete", imr, person.pk),
        saved=lambda saved: f"{saved.label} has been saved on the genogram.",
        then=lambda saved: _genogram_url(imr),
        remove_label=person and f"Remove {person.label} from the genogram",
        back_url=_genogram_url(imr),
    )


@removal_page(
    lambda imr, actor, person: services.genogram_person_delete(imr=imr, actor=actor, person=person),
    lambda person: f"{person.label} from the genogram",
    _genogram_url,
    done=lambda person: f"{person.label} has been removed from the genogram.",
    warning="Their relationship lines are removed too.",
    part=GENOGRAM,
)
def imr_genogram_person_delete(imr: IMR, person_pk: int) -> GenogramPerson:
    return get_object_or_404(GenogramPerson, pk=person_pk, imr=imr)


@genogram_page
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


@removal_page(
    lambda imr, actor, line: services.genogram_relationship_delete(imr=imr, actor=actor, line=line),
    lambda line: f"the line between {line.person_a} and {line.person_b}",
    _genogram_url,
    done="The relationship has been removed from the genogram.",
    part=GENOGRAM,
)
def imr_genogram_relationship_delete(imr: IMR, line_pk: int) -> GenogramRelationship:
    related = GenogramRelationship.objects.select_related("person_a", "person_b")
    return get_object_or_404(related, pk=line_pk, imr=imr)
