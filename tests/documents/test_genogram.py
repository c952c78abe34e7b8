"""The genogram drawing (Solihull App 15), as pure functions: the symbol for each sex, the cross for a death,
the double line round the subject child, couples' lines with a slash for a separation, children hanging
from their parents' line eldest first, and names that are markup drawn as text."""

import xml.etree.ElementTree as ET

from scr_portal.documents import genogram as g

SVG = "{http://www.w3.org/2000/svg}"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def family(*relatives: g.Relative, child_deceased: bool = False) -> g.Family:
    child = g.Person(
        key="child",
        name="Zoë Smith-Jones",
        born="1 May 2020",
        birth_key="2020-05-01",
        deceased=child_deceased,
    )
    return g.family_from_relationships(child=child, relatives=list(relatives))


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def person_group(root: ET.Element, key: str) -> ET.Element:
    return next(group for group in root.iter(f"{SVG}g") if group.get("data-key") == key)


MOTHER = g.Relative("m", "Siobhan O'Neill", "Mother", "3 February 1995", "1995-02-03")
FATHER = g.Relative("f", "Liam Smith-Jones", "Father")


def test_a_male_is_a_square_a_female_a_circle_and_an_unknown_gender_a_diamond():
    root = parsed(g.svg(family(MOTHER, FATHER, g.Relative("p", "Sam Doe", "Partner"))))
    assert person_group(root, "f").find(f"{SVG}rect") is not None
    assert person_group(root, "m").find(f"{SVG}circle") is not None
    assert person_group(root, "p").find(f"{SVG}polygon") is not None
    assert person_group(root, "child").find(f"{SVG}polygon") is not None  # the referral records no sex


def test_sex_comes_from_the_relationship_and_a_parents_partner_is_not_taken_for_the_parent():
    assert g.sex_from_relationship("Maternal grandmother") == g.FEMALE
    assert g.sex_from_relationship("Step-father") == g.MALE
    assert g.sex_from_relationship("Half-brother") == g.MALE
    assert g.sex_from_relationship("Mother's partner") == g.UNKNOWN
    assert g.sex_from_relationship("Sibling") == g.UNKNOWN


def test_someone_who_has_died_has_a_cross_through_their_symbol():
    root = parsed(g.svg(family(MOTHER, g.Relative("f", "Liam Smith-Jones", "Father (deceased)"))))
    assert (
        len([line for line in person_group(root, "f").iter(f"{SVG}line") if "deceased" in line.get("class")])
        == 2
    )
    assert not [
        line for line in person_group(root, "m").iter(f"{SVG}line") if "deceased" in line.get("class")
    ]


def test_the_child_who_died_is_crossed_and_double_lined_as_the_subject():
    root = parsed(g.svg(family(MOTHER, child_deceased=True)))
    child = person_group(root, "child")
    assert child.find(f"{SVG}polygon[@class='subject-inner']") is not None
    assert len([line for line in child.iter(f"{SVG}line") if line.get("class") == "deceased"]) == 2
    assert "the subject child" in child.find(f"{SVG}title").text


def test_parents_are_joined_by_a_line_and_a_separation_is_slashed_and_a_divorce_twice():
    joined = parsed(g.svg(family(MOTHER, FATHER)))
    assert [line.get("class") for line in joined.iter(f"{SVG}line") if "union" in line.get("class")] == [
        "union enduring"
    ]
    assert not [line for line in joined.iter(f"{SVG}line") if line.get("class") == "separation"]
    separated = parsed(g.svg(family(MOTHER, g.Relative("f", "Liam", "Father, separated"))))
    assert len([line for line in separated.iter(f"{SVG}line") if line.get("class") == "separation"]) == 1
    divorced = parsed(g.svg(family(MOTHER, g.Relative("f", "Liam", "Father (divorced)"))))
    assert len([line for line in divorced.iter(f"{SVG}line") if line.get("class") == "separation"]) == 2
    short_lived = parsed(g.svg(family(MOTHER, g.Relative("b", "Dan", "Mother's boyfriend"))))
    transitory = [line for line in short_lived.iter(f"{SVG}line") if "transitory" in line.get("class")]
    assert transitory and transitory[0].get("stroke-dasharray")


def test_children_hang_from_the_parents_line_eldest_on_the_left():
    drawn = g.family_from_relationships(
        child=g.Person(key="child", name="Zoë", birth_key="2020-05-01"),
        relatives=[
            MOTHER,
            FATHER,
            g.Relative("young", "Baby", "Sister", birth_key="2023-01-01"),
            g.Relative("old", "Big", "Brother", birth_key="2016-01-01"),
        ],
    )
    placed = g.layout(drawn).placed
    assert placed["old"].x < placed["child"].x < placed["young"].x
    assert placed["child"].y == placed["old"].y > placed["m"].y == placed["f"].y
    assert {("m", "child"), ("f", "child"), ("m", "old"), ("f", "young")} <= set(drawn.children)
    # The stalk goes down from the middle of the couple's line.
    middle = (placed["m"].x + placed["f"].x) / 2
    stalks = [
        line
        for line in parsed(g.svg(drawn)).iter(f"{SVG}line")
        if line.get("class") == "descent" and float(line.get("x1")) == middle == float(line.get("x2"))
    ]
    assert stalks


def test_grandparents_stand_above_the_parent_their_relationship_names():
    drawn = family(MOTHER, FATHER, g.Relative("gm", "Nan", "Maternal grandmother"))
    placed = g.layout(drawn).placed
    assert placed["gm"].y < placed["m"].y < placed["child"].y
    assert ("gm", "m") in drawn.children


def test_a_name_that_is_markup_is_drawn_as_text():
    svg = g.svg(family(MOTHER, g.Relative("x", XSS, "Uncle")), title=XSS)
    assert "<script" not in svg and "<img" not in svg
    root = parsed(svg)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert root.find(f"{SVG}title").text == XSS  # the title, as text
    uncle = person_group(root, "x")
    assert XSS in uncle.find(f"{SVG}title").text
    assert uncle.find(f"{SVG}text").text == g.short_label(XSS)


def test_the_drawing_is_an_image_with_a_title_and_a_description_of_everyone():
    svg = g.svg(family(MOTHER, FATHER), title="Genogram of Child A", id_prefix="genogram-1")
    root = parsed(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "genogram-1-title genogram-1-desc"
    description = root.find(f"{SVG}desc").text
    assert "3 people." in description
    assert "Siobhan O'Neill and Liam Smith-Jones: enduring relationship." in description
    assert "Zoë Smith-Jones is a child of Siobhan O'Neill." in description


def test_a_stored_family_draws_the_same():
    drawn = family(MOTHER, FATHER, g.Relative("gm", "Nan", "Maternal grandmother (deceased)"))
    assert g.svg(g.family_from_dict(g.family_to_dict(drawn))) == g.svg(drawn)


def test_a_miscarriage_is_a_small_diagonal_cross_in_birth_order():
    drawn = g.Family(
        people=(
            g.Person("m", "Mother", g.FEMALE, row=0),
            g.Person("f", "Father", g.MALE, row=0),
            g.Person("mary", "Mary", g.FEMALE),
            g.Person("loss", "Miscarriage", pregnancy_loss=True),
            g.Person("david", "David", g.MALE),
        ),
        unions=(g.Union("m", "f"),),
        children=tuple((parent, child) for child in ("mary", "loss", "david") for parent in ("m", "f")),
    )
    placed = g.layout(drawn).placed
    assert placed["mary"].x < placed["loss"].x < placed["david"].x
    loss = person_group(parsed(g.svg(drawn)), "loss")
    assert loss.find(f"{SVG}circle") is None and loss.find(f"{SVG}rect") is None
    assert len([line for line in loss.iter(f"{SVG}line") if line.get("class") == "loss"]) == 2


def test_an_imrs_own_genogram_data_is_drawn_with_its_relationship_lines():
    from types import SimpleNamespace as Row

    from scr_portal.templatetags.genogram import imr_family

    people = [
        Row(pk=1, label="Mother", sex="female", relationship_to_child="Mother", date_of_birth=None,
            deceased=False, subject_child=False, pregnancy_loss=False, birth_order=None),
        Row(pk=2, label="Father", sex="male", relationship_to_child="Father", date_of_birth=None,
            deceased=True, subject_child=False, pregnancy_loss=False, birth_order=None),
        Row(pk=4, label="Child B", sex="male", relationship_to_child="Brother", date_of_birth=None,
            deceased=False, subject_child=False, pregnancy_loss=False, birth_order=2),
        Row(pk=3, label=XSS, sex="unknown", relationship_to_child="", date_of_birth=None,
            deceased=False, subject_child=True, pregnancy_loss=False, birth_order=1),
    ]  # fmt: skip
    lines = [
        Row(person_a_id=1, person_b_id=2, kind="divorced"),
        Row(person_a_id=1, person_b_id=3, kind="parent_child"),
        Row(person_a_id=2, person_b_id=3, kind="parent_child"),
        Row(person_a_id=1, person_b_id=4, kind="parent_child"),
    ]
    drawn = imr_family(people, lines)
    placed = g.layout(drawn).placed
    assert placed["3"].x < placed["4"].x and placed["3"].y > placed["1"].y  # eldest (birth order 1) first
    root = parsed(g.svg(drawn))
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "separation"]) == 2
    assert person_group(root, "2").find(f"{SVG}rect") is not None
    assert [line for line in person_group(root, "2").iter(f"{SVG}line") if line.get("class") == "deceased"]
    assert person_group(root, "3").find(f"{SVG}text").text == g.short_label(XSS)
