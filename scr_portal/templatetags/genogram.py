"""{% genogram_svg data title id_prefix %} draws a stored genogram (a document version's data);
{% referral_genogram referral %} shows the family of a referral as a genogram with the same people listed
beside it. The SVG comes from `scr_portal.documents.genogram`, which escapes every name, so it is marked
safe here and nowhere else."""

from django import template
from django.utils.safestring import mark_safe

from scr_portal.documents import genogram
from scr_portal.documents.owners import owner_type_of
from scr_portal.documents.registry import Merge

register = template.Library()


@register.simple_tag
def genogram_svg(data, title: str = "Genogram", id_prefix: str = "genogram"):
    return mark_safe(genogram.svg(genogram.family_from_dict(data or {}), title=title, id_prefix=id_prefix))  # noqa: S308


@register.inclusion_tag("documents/_genogram_figure.html")
def referral_genogram(referral):
    """The genogram on the referral page, with names (the page is for the board's staff). The family comes
    from the referral's owner type (referrals/documents/), as the kernel does not import the apps."""
    family = owner_type_of(referral).family(referral, Merge())
    return {
        "svg": mark_safe(  # noqa: S308 - every value in it is escaped by genogram.svg
            genogram.svg(
                family, title="Genogram of the child's family", id_prefix=f"genogram-{referral.pk}", fit=True
            )
        ),
        "people": [genogram.describe_person(person) for person in family.people],
        "has_family": len(family.people) > 1,
    }


def imr_family(people, lines) -> genogram.Family:
    """An IMR's own genogram data (imr.GenogramPerson and GenogramRelationship, as its author records them)
    as a family to draw: the symbols from the recorded sex, a cross for a death or a pregnancy loss, the
    relationship lines of App 15; children eldest first by birth order."""
    ordered = sorted(
        people,
        key=lambda p: (
            p.birth_order is None,
            p.birth_order or 0,
            p.date_of_birth.isoformat() if p.date_of_birth else "9999",
            p.pk,
        ),
    )
    drawn = tuple(
        genogram.Person(
            key=str(person.pk),
            name=person.label,
            sex=person.sex if person.sex in (genogram.MALE, genogram.FEMALE) else genogram.UNKNOWN,
            relationship=person.relationship_to_child,
            born=person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "",
            deceased=person.deceased,
            subject=person.subject_child,
            pregnancy_loss=person.pregnancy_loss,
        )
        for person in ordered
    )
    unions = tuple(
        genogram.Union(str(line.person_a_id), str(line.person_b_id), line.kind)
        for line in lines
        if line.kind in (genogram.ENDURING, genogram.TRANSITORY, genogram.SEPARATED, genogram.DIVORCED)
    )
    children = tuple(
        (str(line.person_a_id), str(line.person_b_id)) for line in lines if line.kind == "parent_child"
    )
    return genogram.Family(people=drawn, unions=unions, children=children)


@register.inclusion_tag("documents/_genogram_figure.html")
def imr_genogram(imr, people, lines):
    """The IMR's genogram drawn from the people and lines its author recorded."""
    family = imr_family(people, lines)
    return {
        "svg": mark_safe(  # noqa: S308 - every value in it is escaped by genogram.svg
            genogram.svg(family, title="Genogram of the family", id_prefix=f"imr-genogram-{imr.pk}", fit=True)
        ),
        "people": [genogram.describe_person(person) for person in family.people],
        "has_family": bool(family.people),
        "empty_text": "No one has been added to the genogram yet.",
    }
