"""Issue 15: every deadline rule says how it closes. An event-closed rule is met only by the service of its
event (the pages name the event); a manual rule is work done outside the portal, recorded by hand with who
did it, when and the evidence. Also: the notices of the decision to Ofsted, the DfE and the National Panel
become their own event-closed rule (they were titles of the manual post-decision rule); the authors'
briefing defaults to six weeks; the six-month completion's extensions need the LSCB's and Ofsted's dates."""

from django.db import migrations

S000 = "Cambridgeshire & Peterborough SCB, Notification of a SCR Process (seed 000)"
S001 = "DCSF response on Working Together chapter 8 (seed 001)"
S002 = "Solihull LSCB SCR Practice Guidance (seed 002)"

EVENT, MANUAL = "event", "manual"

# code: (closing, the event that meets it, description)
CLOSING = {
    "referral-part1": (EVENT, "the referral is submitted", "Part 1 within 72 hours of the incident (Solihull "
                       "App 1); a warning only, met when the referral is submitted."),
    "agency-letters": (EVENT, "the agency checks (App 2 letters) are sent from the referral",
                       "The App 2 letter goes to the agencies the working day after receipt (Solihull §5.1.1)."),
    "agency-reply": (EVENT, "the agency's reply (involved or a nil return) is recorded",
                     "Agencies confirm involvement or send a nil return within 3 working days (Solihull App 2)."
                     " A check still open at the Chair's decision is recorded as not answered by the decision."),
    "incident-notice": (EVENT, "the notices of the incident to both Ofsted and the DfE are recorded",
                        "Ofsted and the DfE are told of the incident in week 1 (Solihull §1.6.2)."),
    "screening": (EVENT, "the sub-committee's recommendation is recorded",
                  "The SCR sub-committee meets within 3 weeks (Cambridgeshire §2); in a one-tier board the "
                  "review panel advises instead (Solihull §1.3.1; domain brief §9, GOVERNANCE_MODEL)."),
    "decision": (EVENT, "the LSCB Chair's decision is recorded",
                 "The Chair decides within one month of the referral reaching them (Cambridgeshire §2; "
                 "Solihull §1.6.3, §7.1.2). Statutory."),
    "post-decision": (MANUAL, "",
                      "Letters to chief officers and agencies' records secured within 3 working days of the "
                      "decision (Cambridgeshire §5; Solihull §1.6.1): done outside the portal, so recorded by "
                      "hand with who did it, when and the evidence."),
    "decision-notice": (EVENT, "the notice of the decision to that body is recorded on the referral",
                        "Ofsted, the DfE and the National Panel are told of the decision within 3 working days "
                        "(Cambridgeshire §5; Solihull §1.6.3); after a decision to hold no review the National "
                        "Panel may scrutinise it (Cambridgeshire §5). Which bodies: the board's "
                        "DECISION_NOTIFY_BODIES (domain brief §9)."),
    "tor-and-imr-letters": (EVENT, "its step is recorded: the terms of reference approved, the IMRs "
                            "commissioned (App 5 letters) or the family's notification",
                            "By the end of week 4 from the referral (Solihull §1.6.4). Opened when the Chair "
                            "decides to hold a review, counted from the referral's receipt; one deadline per "
                            "step, each met by its own event."),
    "authors-briefing": (EVENT, "the authors' briefing is recorded as held",
                         "Solihull plans the briefing in weeks 5–6 (§1.6.5), after the terms of reference and "
                         "the IMR letters; Cambridgeshire allows one week after the decision (§8). The "
                         "default is six weeks after the decision, which IMR commissioning (only after the "
                         "terms of reference are approved) can meet; a board may set Cambridgeshire's one "
                         "week in its timescales."),
    "chronology-collated": (EVENT, "the author's chronology is saved or sent for factual check",
                            "The author collates the chronology in the first week (Cambridgeshire §8)."),
    "imr-completed": (EVENT, "the IMR is submitted to the panel (or the agency's nil return recorded)",
                      "About one month from commissioning (Cambridgeshire §8)."),
    "interview-notice": (EVENT, "the interview is recorded as held",
                         "At least two weeks' notice of an interview, with access to the file (Solihull "
                         "§11.1.3–11.1.4)."),
    "imr-circulation": (EVENT, "the IMRs' circulation is recorded for the presentation meeting",
                        "IMRs circulated at least two weeks before the presentation meeting (Solihull "
                        "§12.1.1)."),
    "further-information": (EVENT, "the agency provides the further information",
                            "Further information after the presentation, by the date the panel asks "
                            "(Solihull App 14 §9.5)."),
    "review-completion": (EVENT, "the review is submitted to Ofsted",
                          "Six calendar months from the decision, ending at submission (Cambridgeshire §5; "
                          "Solihull §1.6.8, §7.1.3; DCSF 2009 ¶3.2). Statutory: an extension needs the date "
                          "the LSCB agreed it and the date Ofsted was told (Solihull §4.1.2, §7.2.1; domain "
                          "brief §9, EXTENSION_APPROVER)."),
    "progress-report": (EVENT, "the month's progress report is generated",
                        "Monthly progress report to the LSCB Chair (Solihull §4.1.2)."),
    "published-summary": (EVENT, "the published summary sent to Ofsted is recorded",
                          "Within a month of Ofsted's evaluation letter (Solihull §13.3.7)."),
    "retention": (EVENT, "the case's papers are destroyed with the business manager's approval",
                  "Papers kept for seven years (Solihull §15.1.5; domain brief, decisions on retention)."),
    "action": (EVENT, "the action is recorded as done", "Each action by its own date (Solihull App 13)."),
}

DECISION_NOTICE = {
    "number": 9, "name": "Decision notified to Ofsted, the DfE and the National Panel",
    "trigger_event": "LSCB Chair's decision", "amount": 3, "unit": "working_days",
    "responsible": "Business unit", "statutory": False, "warn_only": False, "due_set_per_case": False,
    "subject_kind": "review", "reminders": True, "source": f"{S000}, §5; {S002}, §1.6.3, §5.1.3",
}
NOTICE_TITLES = (
    "Tell Ofsted of the decision",
    "Tell the DfE of the decision",
    "Tell the National Panel of the decision",
)


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("scr_portal", "DeadlineRule")
    Deadline = apps.get_model("scr_portal", "Deadline")
    notice, _ = DeadlineRule.objects.update_or_create(code="decision-notice", defaults=DECISION_NOTICE)
    # Open notices already opened under the post-decision rule move to their own rule.
    Deadline.objects.filter(rule__code="post-decision", title__in=NOTICE_TITLES).update(rule=notice)
    for code, (closing, event, description) in CLOSING.items():
        DeadlineRule.objects.filter(code=code).update(
            closing=closing, closing_event=event, description=description
        )
    DeadlineRule.objects.filter(code="post-decision").update(
        name="Post-decision tasks (chief officer letters, records secured)"
    )
    DeadlineRule.objects.filter(code="authors-briefing").update(
        amount=6, unit="weeks", trigger_event="Decision to hold a review", source=f"{S002}, §1.6.5; {S000}, §8"
    )
    DeadlineRule.objects.filter(code="tor-and-imr-letters").update(
        trigger_event="Referral received (opened when the Chair decides to hold a review)"
    )
    DeadlineRule.objects.filter(code="review-completion").update(extension_needs_ofsted=True)


class Migration(migrations.Migration):
    dependencies = [("scr_portal", "0009_deadline_closing_board_switches")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
