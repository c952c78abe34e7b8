"""Writes for the anonymisation key of a case record: filling it from the record, and the people the
business unit adds, changes or removes. A pseudonym must be unique in the key and must not contain the
person's real name."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from scr_portal.models import CaseKeyPerson
from scr_portal.services import now_or

from . import anonymise
from .owners import owner_type_of

PSEUDONYM_TAKEN = "Another person in the key already has this pseudonym"
PSEUDONYM_IS_A_NAME = "The pseudonym must not contain the person's real name"
FILLED_ROW = "People filled in from the case record cannot be removed. Change their pseudonym instead."


def _content_type(owner) -> ContentType:
    return ContentType.objects.get_for_model(owner)


def _free_pseudonym(hint: str, taken: set[str]) -> str:
    """ "Mother", or "Mother 2" if taken; numbered hints ("Sibling", "Practitioner", "Adult") always
    carry a number; "Child A" moves on through the alphabet (Child B…)."""
    if hint.startswith("Child ") and len(hint) == 7:
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if f"Child {letter}" not in taken:
                return f"Child {letter}"
    numbered = hint in {"Sibling", "Practitioner", "Adult", "Cousin"}
    if not numbered and hint not in taken:
        return hint
    number = 1 if numbered else 2
    while f"{hint} {number}" in taken:
        number += 1
    return f"{hint} {number}"


@transaction.atomic
def case_key_fill(*, owner, actor=None, now: dt.datetime | None = None) -> int:
    """Fill the key from the case record: add people it names that the key lacks, and bring the real
    name, date of birth and address of rows filled earlier up to date. Pseudonyms the business unit chose
    are kept. Returns how many people were added."""
    now = now_or(now)
    owner_type = owner_type_of(owner)
    content_type = _content_type(owner)
    existing = {
        row.source_ref: row
        for row in CaseKeyPerson.objects.select_for_update().filter(
            content_type=content_type, object_id=owner.pk
        )
    }
    taken = {row.pseudonym for row in existing.values()}
    order = max((row.order for row in existing.values()), default=0)
    added = 0
    for source in owner_type.key_rows(owner):
        row = existing.get(source.source_ref)
        if row is not None:
            changed = {
                "real_name": source.real_name,
                "date_of_birth": source.date_of_birth,
                "address": source.address or row.address,
            }
            if any(getattr(row, name) != value for name, value in changed.items()):
                for name, value in changed.items():
                    setattr(row, name, value)
                row.updated_at = now
                row.save(update_fields=[*changed, "updated_at"])
            continue
        pseudonym = _free_pseudonym(source.pseudonym_hint, taken)
        taken.add(pseudonym)
        order += 1
        CaseKeyPerson.objects.create(
            board=owner_type.board(owner),
            content_type=content_type,
            object_id=owner.pk,
            real_name=source.real_name,
            pseudonym=pseudonym,
            role=source.role,
            date_of_birth=source.date_of_birth,
            address=source.address,
            school=source.school,
            source_ref=source.source_ref,
            order=order,
            updated_by=actor if getattr(actor, "is_authenticated", False) else None,
            updated_at=now,
        )
        added += 1
    return added


def _check_pseudonym(*, owner, pseudonym: str, real_name: str, exclude_pk=None) -> None:
    clash = CaseKeyPerson.objects.filter(
        content_type=_content_type(owner), object_id=owner.pk, pseudonym__iexact=pseudonym
    )
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"pseudonym": PSEUDONYM_TAKEN})
    detector = anonymise.detector_for([anonymise.KeyPerson(real_name=real_name, pseudonym="x")])
    if detector.find(pseudonym):
        raise ValidationError({"pseudonym": PSEUDONYM_IS_A_NAME})


@transaction.atomic
def case_key_person_add(*, owner, actor, now: dt.datetime | None = None, **fields) -> CaseKeyPerson:
    """Add someone the case record does not name in a field (a practitioner in a chronology, a friend)."""
    owner_type = owner_type_of(owner)
    _check_pseudonym(owner=owner, pseudonym=fields["pseudonym"], real_name=fields["real_name"])
    last = CaseKeyPerson.objects.filter(content_type=_content_type(owner), object_id=owner.pk).aggregate(
        Max("order")
    )["order__max"]
    return CaseKeyPerson.objects.create(
        board=owner_type.board(owner),
        content_type=_content_type(owner),
        object_id=owner.pk,
        order=(last or 0) + 1,
        updated_by=actor,
        updated_at=now_or(now),
        **fields,
    )


@transaction.atomic
def case_key_person_update(
    *, person: CaseKeyPerson, actor, now: dt.datetime | None = None, **fields
) -> CaseKeyPerson:
    locked = CaseKeyPerson.objects.select_for_update().get(pk=person.pk)
    _check_pseudonym(
        owner=locked.owner,
        pseudonym=fields.get("pseudonym", locked.pseudonym),
        real_name=fields.get("real_name", locked.real_name),
        exclude_pk=locked.pk,
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_by = actor
    locked.updated_at = now_or(now)
    locked.save()
    return locked


@transaction.atomic
def case_key_person_remove(*, person: CaseKeyPerson, actor) -> None:
    if person.source_ref:
        raise ValidationError(FILLED_ROW)
    CaseKeyPerson.objects.filter(pk=person.pk).delete()
