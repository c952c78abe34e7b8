"""The referral's kinds of document, registered with the document engine."""

from __future__ import annotations

from functools import partial

from scr_portal.documents.registry import (
    DocumentKind,
    Wording,
    register,
)

from .contexts import (
    _agency_notice_missing,
    _family_missing,
    _not_submitted,
    _notification_missing,
    agency_notice_context,
    family_letter_context,
    notification_context,
    referral_form_context,
)
from .samples import (
    COMMON_DESCRIPTIONS,
    DECISION_DESCRIPTIONS,
    FORM_DESCRIPTIONS,
    sample_agency_notice,
    sample_family_letter,
    sample_notification,
    sample_referral_form,
)


def _register(*, wordings: dict[str, tuple[str, str]], **fields) -> None:
    """A document of the referral; `wordings` gives each part of it its wording's code and title."""
    register(
        DocumentKind(
            owner_type="referral", wordings={part: code for part, (code, _) in wordings.items()}, **fields
        ),
        wordings=[Wording(code, title, fields["code"]) for code, title in wordings.values()],
    )


_register(
    code="referral-form",
    title="Referral form (Parts 1 to 3)",
    source="Solihull guidance, Appendix 1",
    description="The referral as received (Part 1), the LSCB Chair's decision (Part 2) and the agreed "
    "terms of reference (Part 3), as far as each exists.",
    layout="documents/referral_form.html",
    build=referral_form_context,
    sample=sample_referral_form,
    descriptions=FORM_DESCRIPTIONS,
    wordings={"note": ("referral-form-note", "Referral form: note at the top")},
    missing=_not_submitted,
)

_register(
    code="agency-notice",
    title="Notice to agencies that a serious case review has been requested",
    source="Solihull guidance, Appendix 2",
    description="The LSCB Chair's letter to core LSCB members and the agencies that may have been "
    "involved, asking them to check and secure their records and reply by the date set by the clock, "
    "with the referral attached.",
    layout="documents/agency_notice.html",
    build=agency_notice_context,
    sample=sample_agency_notice,
    descriptions={
        **FORM_DESCRIPTIONS,
        "recipients": "The agencies written to (a list)",
        "recipients[each].agency": "The agency's name",
        "recipients[each].address": "The agency's address",
        "recipients[each].chief_officer": "The agency's chief officer",
        "reply_by": "The date agencies must reply by (3 working days, from the clock)",
        "decision_due": "The date the Chair's decision is due (one month, from the clock)",
    },
    wordings={"letter": ("agency-notice-letter", "Notice to agencies (App 2): the letter")},
    missing=_agency_notice_missing,
)

_register(
    code="family-letter",
    title="Letter and leaflet for the family",
    source="Solihull guidance, Appendix 3",
    description="A covering letter to a parent or significant relative with the leaflet explaining "
    "what a serious case review is. Send it when the panel, with the police, agrees the timing.",
    layout="documents/family_letter.html",
    build=family_letter_context,
    sample=sample_family_letter,
    descriptions={
        **COMMON_DESCRIPTIONS,
        "recipient.name": "The family member written to",
        "recipient.relationship": "Their relationship to the child",
        "recipient.address": "Their address",
        "contact.name": "The family's personal contact, if one is named",
        "contact.phone": "The personal contact's telephone number",
        "completion": "How long a review aims to take (the board's setting, such as 6 months)",
    },
    wordings={
        "letter": ("family-letter", "Letter to the family (App 3)"),
        "leaflet": ("family-leaflet", "Leaflet for families (App 3)"),
    },
    missing=_family_missing,
    options_form="scr_portal.documents.forms.FamilyLetterOptionsForm",
)

NOTIFICATION_DESCRIPTIONS = {
    **COMMON_DESCRIPTIONS,
    **DECISION_DESCRIPTIONS,
    "recipient_body.code": "ofsted, dfe or national_panel",
    "recipient_body.name": "The body written to",
    "event.code": "incident or decision",
    "event.label": "What the notification is about",
    "triggers": "The circumstances that triggered the referral (a list)",
    "trigger_account": "The referrer's account of those circumstances (anonymised)",
    "brief_account": "The brief account of the facts (anonymised)",
    "previously_sent": "When a notification of this kind was recorded as sent, if it was",
    "anonymised": "Whether this is the anonymised version (the one that may be sent)",
}

for _body, _name, _title in (
    ("ofsted", "Ofsted", "Notification to Ofsted"),
    ("dfe", "Department for Education", "Notification to the Department for Education"),
    ("national_panel", "National Panel of Independent Experts", "Notification to the National Panel"),
):
    _code = f"notification-{_body.replace('_', '-')}"
    _register(
        code=_code,
        title=_title,
        source="Domain brief §7 (notification of incident and decision)",
        description=f"The anonymised notification of the serious incident or of the decision, for "
        f"{_name}. Only the anonymised version may be sent.",
        layout="documents/notification.html",
        build=partial(notification_context, body=_body, body_name=_name),
        sample=partial(sample_notification, _body, _name),
        descriptions=NOTIFICATION_DESCRIPTIONS,
        wordings={"body": (_code, f"{_title}: the text")},
        external=True,
        missing=_notification_missing,
        options_form="scr_portal.documents.forms.NotificationOptionsForm",
    )
