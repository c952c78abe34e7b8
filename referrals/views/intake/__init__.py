"""Referral intake pages: starting a referral, the Part 1 question flow, check your answers and submission,
the lists and the referral page. Views are thin: they fetch through `referrals.permissions`, validate with the
forms of `referrals.forms.intake`, write only through `referrals.services` and read through
`referrals.selectors`."""

from .answers import answer_sections, referral_check_answers, referral_confirmation  # noqa: F401
from .detail import referral_detail  # noqa: F401
from .lists import my_referrals, referral_list  # noqa: F401
from .sections import SECTION_BY_SLUG, SECTIONS, referral_section, referral_start, section_url  # noqa: F401
