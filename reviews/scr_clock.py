"""What a serious case review's clock is made of, shared by the services that open it (the decision, a
conversion to SCR), cancel it (a conversion away from SCR) and meet its steps (ToR approval, IMR
commissioning in the imr app, the family's notification). Issue 15."""

# The three steps of rule "tor-and-imr-letters" (Solihull §1.6.4), one deadline each, met by its own event.
TOR_APPROVED = "Terms of reference approved"
IMR_LETTERS_SENT = "IMR request letters sent (App 5)"
FAMILY_NOTIFIED = "Family notified of the review"
TOR_AND_IMR_LETTERS = (TOR_APPROVED, IMR_LETTERS_SENT, FAMILY_NOTIFIED)

# What only a serious case review has: a conversion away from SCR cancels these (domain brief §4.8).
SCR_ONLY_RULES = (
    "progress-report",
    "decision-notice",
    "post-decision",
    "review-completion",
    "authors-briefing",
    "tor-and-imr-letters",
)
