"""Issue 19, clause 6: the header shows the few sections a role uses (it had thirteen links over two
lines), the rest under one "More" menu, a <details> disclosure that opens without JavaScript."""

import re

import pytest
from django.urls import reverse

from scr_portal.context_processors import SECTIONS_BY_PERM, navigation

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def header_links(client) -> tuple[list[str], list[str]]:
    page = client.get(reverse("home")).text
    nav = page[page.index('<nav aria-label="Menu"') : page.index("</nav>")]
    menu = re.search(r'<ul class="portal-menu__list">.*?</ul>', nav, re.S)
    top = nav.replace(menu.group(0), "") if menu else nav
    link = re.compile(r'class="govuk-service-navigation__link[^"]*"[^>]*>([^<]+)<')
    return link.findall(top), link.findall(menu.group(0) if menu else "")


@pytest.mark.parametrize(
    ("persona", "sections"),
    [
        ("manager_a", ["Home", "Deadlines", "Referrals", "Reviews", "IMRs", "Reports", "More", "Sign out"]),
        ("chair_a", ["Home", "Referrals", "Reviews", "Reports", "More", "Sign out"]),
        ("contact_x", ["Home", "IMRs", "Actions", "More", "Sign out"]),
        ("auditor_a", ["Home", "Reviews", "Actions", "More", "Sign out"]),
    ],
)
def test_each_role_sees_its_few_sections_and_the_rest_under_more(request, client_as, persona, sections):
    top, menu = header_links(client_as(request.getfixturevalue(persona)))
    assert top == sections
    assert "Your account" in menu and "Reminders" in menu
    assert not set(top) & set(menu)


def test_an_imr_author_without_a_board_role_sees_home_and_imrs(client_as):
    top, menu = header_links(client_as(UserFactory()))
    assert top == ["Home", "IMRs", "More", "Sign out"]
    assert menu == ["Reminders", "Your account"]


def test_every_link_is_offered_once_whatever_the_permissions(board_a, settings):
    settings.DEV_MAILBOX_ENABLED = True
    everything = frozenset(SECTIONS_BY_PERM) | {"manage_board"}
    nav = navigation(everything, board_a)
    names = [item.name for item in nav["sections"] + nav["more"]]
    assert len(names) == len(set(names)) == 12
    assert len(nav["sections"]) <= 7
