"""Genograms drawn as SVG with the conventions of the Solihull guidance, Appendix 15: a square for a male,
a circle for a female, a diamond when the gender is not known; a cross through the symbol of someone who
has died; a small diagonal cross for a miscarriage or abortion; an unbroken line for an enduring
relationship (marriage, living together), a broken one for a transitory relationship, one short slash
across it for a separation and two for a divorce; children hanging from their parents' line, eldest on
the left. The subject child is drawn with a double line, as practice guides mark the person the genogram
is about.

Pure functions: `layout` places people in rows by generation, `svg` draws the placed family. No database,
no Django: the data comes in as plain values (`family_from_relationships` builds it from a referral's
family composition), and every name is escaped, so markup in a name is drawn as text.

The SVG carries role="img", a <title> and a <desc>; the page shows the same people as a text list beside
it (WCAG 2.2 1.1.1), so nothing is known only from the drawing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape

MALE, FEMALE, UNKNOWN = "male", "female", "unknown"
ENDURING, TRANSITORY, SEPARATED, DIVORCED = "enduring", "transitory", "separated", "divorced"

SYMBOL = 36  # the side of a square, the diameter of a circle
STEP = 150  # horizontal distance between two people in a row
ROW = 150  # vertical distance between generations
MARGIN = 40
LABEL_CHARS = 22  # longer names are shortened in the drawing (the list beside it has them whole)


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    sex: str = UNKNOWN
    relationship: str = ""  # to the subject child, for the list and the description
    born: str = ""  # the date of birth or age as it should be written under the symbol
    deceased: bool = False
    subject: bool = False
    pregnancy_loss: bool = False
    row: int = 0  # the generation to stand in when no line places them lower (0 is the top)
    birth_key: str = ""  # the date of birth as ISO text: brothers and sisters eldest first


@dataclass(frozen=True)
class Union:
    a: str
    b: str
    kind: str = ENDURING


@dataclass(frozen=True)
class Family:
    people: tuple[Person, ...]
    unions: tuple[Union, ...] = ()
    children: tuple[tuple[str, str], ...] = ()  # (parent key, child key); siblings in birth order


@dataclass(frozen=True)
class Placed:
    person: Person
    x: float
    y: float
    generation: int


@dataclass
class Layout:
    placed: dict[str, Placed] = field(default_factory=dict)
    width: float = 0
    height: float = 0


# --- Laying out ---------------------------------------------------------------------------------------


def generations(family: Family) -> dict[str, int]:
    """Each person's row: a child one below its lowest-placed parent, partners on the same row."""
    keys = {person.key for person in family.people}
    row = {person.key: person.row for person in family.people}
    links = [(p, c) for p, c in family.children if p in keys and c in keys]
    unions = [u for u in family.unions if u.a in keys and u.b in keys]
    for _ in range(len(keys) + 1):  # a family tree settles in at most as many passes as people
        changed = False
        for parent, child in links:
            if row[child] < row[parent] + 1:
                row[child], changed = row[parent] + 1, True
        for union in unions:
            level = max(row[union.a], row[union.b])
            if row[union.a] != level or row[union.b] != level:
                row[union.a] = row[union.b] = level
                changed = True
        if not changed:
            break
    top = min(row.values(), default=0)
    return {key: level - top for key, level in row.items()}


def _partners(family: Family) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for union in family.unions:
        found.setdefault(union.a, []).append(union.b)
        found.setdefault(union.b, []).append(union.a)
    return found


def _parents(family: Family) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for parent, child in family.children:
        found.setdefault(child, []).append(parent)
    return found


def layout(family: Family) -> Layout:
    """Rows top-down; in each row people under their parents (left to right as the parents are), siblings
    in the order given (eldest first), partners side by side; each row centred on the widest."""
    rows = generations(family)
    partners, parents = _partners(family), _parents(family)
    index = {person.key: number for number, person in enumerate(family.people)}
    by_key = {person.key: person for person in family.people}
    order: dict[int, list[str]] = {}
    x_of: dict[str, float] = {}
    for level in sorted(set(rows.values())):
        members = [person.key for person in family.people if rows[person.key] == level]

        def anchor(key: str) -> tuple[int, float, int]:
            placed = [x_of[parent] for parent in parents.get(key, []) if parent in x_of]
            # Under the leftmost parent: a family's children, full and half, stay in birth order.
            return (0, min(placed), index[key]) if placed else (1, 0.0, index[key])

        row: list[str] = []
        for key in sorted(members, key=anchor):
            if key in row:
                continue
            extra = [p for p in partners.get(key, []) if rows.get(p) == level and p not in row]
            # A second partner stands on the other side, so neither line runs across a symbol.
            row.extend([*extra[1:], key, *extra[:1]])
        order[level] = row
        for position, key in enumerate(row):
            x_of[key] = position * STEP
    widest = max((len(row) for row in order.values()), default=0)
    result = Layout(width=MARGIN * 2 + max(widest - 1, 0) * STEP + STEP, height=0)
    for level, row in order.items():
        shift = (widest - len(row)) * STEP / 2
        for position, key in enumerate(row):
            result.placed[key] = Placed(
                person=by_key[key],
                x=MARGIN + STEP / 2 + shift + position * STEP,
                y=MARGIN + SYMBOL / 2 + level * ROW,
                generation=level,
            )
    levels = len(order)
    result.height = MARGIN * 2 + max(levels - 1, 0) * ROW + SYMBOL + 40
    return result


# --- Drawing ------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _line(x1, y1, x2, y2, *, dashed: bool = False, css: str = "line") -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (
        f'<line class="{css}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="#0b0c0c" stroke-width="2"{dash}/>'
    )


def _shape(sex: str, x: float, y: float, half: float, css: str) -> str:
    common = f'class="{css}" fill="#ffffff" stroke="#0b0c0c" stroke-width="2"'
    if sex == MALE:
        side = _n(half * 2)
        return f'<rect {common} x="{_n(x - half)}" y="{_n(y - half)}" width="{side}" height="{side}"/>'
    if sex == FEMALE:
        return f'<circle {common} cx="{_n(x)}" cy="{_n(y)}" r="{_n(half)}"/>'
    points = f"{_n(x)},{_n(y - half)} {_n(x + half)},{_n(y)} {_n(x)},{_n(y + half)} {_n(x - half)},{_n(y)}"
    return f'<polygon {common} points="{points}"/>'


def _cross(x: float, y: float, half: float, css: str) -> str:
    return _line(x - half, y - half, x + half, y + half, css=css) + _line(
        x - half, y + half, x + half, y - half, css=css
    )


def short_label(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _person(placed: Placed) -> str:
    person, x, y, half = placed.person, placed.x, placed.y, SYMBOL / 2
    parts = [f'<g class="person" data-key="{escape(person.key)}" data-sex="{escape(person.sex)}">']
    parts.append(f"<title>{escape(describe_person(person))}</title>")
    if person.pregnancy_loss:
        parts.append(_cross(x, y, half / 2, "loss"))
    else:
        parts.append(_shape(person.sex, x, y, half, f"symbol {person.sex}"))
        if person.subject:
            parts.append(_shape(person.sex, x, y, half - 5, "subject-inner"))
        if person.deceased:
            parts.append(_cross(x, y, half + 6, "deceased"))
    text_y = y + half + 18
    parts.append(
        f'<text x="{_n(x)}" y="{_n(text_y)}" text-anchor="middle" font-size="12" '
        f'font-family="Arial, sans-serif" fill="#0b0c0c">{escape(short_label(person.name))}</text>'
    )
    if person.born:
        parts.append(
            f'<text x="{_n(x)}" y="{_n(text_y + 15)}" text-anchor="middle" font-size="11" '
            f'font-family="Arial, sans-serif" fill="#505a5f">{escape(person.born)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _union(union: Union, a: Placed, b: Placed) -> str:
    """A line between the partners at the height of their symbols; a slash (two for a divorce) across it,
    to the left of the point the children hang from."""
    left, right = sorted((a, b), key=lambda placed: placed.x)
    y, half = left.y, SYMBOL / 2
    parts = [
        _line(left.x + half, y, right.x - half, y, dashed=union.kind == TRANSITORY, css=f"union {union.kind}")
    ]
    slashes = {SEPARATED: 1, DIVORCED: 2}.get(union.kind, 0)
    middle = (left.x + right.x) / 2
    for number in range(slashes):
        x = middle - 16 - number * 8
        parts.append(_line(x - 5, y + 9, x + 5, y - 9, css="separation"))
    return "".join(parts)


def _children(family: Family, placed: dict[str, Placed]) -> list[str]:
    """One stalk per set of parents: down from the middle of the couple's line (or from beside a lone
    parent) to a bar over the children, and a short line down to each child."""
    parents = _parents(family)
    groups: dict[tuple[str, ...], list[str]] = {}
    for child in (person.key for person in family.people):
        known = tuple(sorted(parent for parent in parents.get(child, []) if parent in placed))
        if known and child in placed:
            groups.setdefault(known, []).append(child)
    parts = []
    for number, (group, children) in enumerate(groups.items()):
        tops = [placed[parent] for parent in group]
        if len(tops) >= 2:
            left, right = min(tops, key=lambda p: p.x), max(tops, key=lambda p: p.x)
            stalk_x, stalk_y = (left.x + right.x) / 2, left.y
        else:
            # A lone parent: a short drop from under the symbol, then aside, clear of any partner's line.
            parent = tops[0]
            stalk_x, stalk_y = parent.x - STEP / 2 + 25, parent.y + SYMBOL / 2 + 4
            parts.append(_line(parent.x, parent.y + SYMBOL / 2, parent.x, stalk_y, css="descent"))
            parts.append(_line(parent.x, stalk_y, stalk_x, stalk_y, css="descent"))
        child_y = min(placed[child].y for child in children) - SYMBOL / 2
        bar_y = child_y - 14 - (number % 3) * 14
        xs = [placed[child].x for child in children]
        parts.append(_line(stalk_x, stalk_y, stalk_x, bar_y, css="descent"))
        parts.append(_line(min([*xs, stalk_x]), bar_y, max([*xs, stalk_x]), bar_y, css="siblings"))
        for child in children:
            parts.append(
                _line(placed[child].x, bar_y, placed[child].x, placed[child].y - SYMBOL / 2, css="descent")
            )
    return parts


def describe_person(person: Person) -> str:
    sex = {MALE: "male", FEMALE: "female"}.get(person.sex, "gender not known")
    bits = [person.name]
    if person.relationship and person.relationship.casefold() != person.name.casefold():  # "Mother, Mother"
        bits.append(person.relationship)
    bits.append("miscarriage or abortion" if person.pregnancy_loss else sex)
    if person.born:  # a date of birth, or an age in an anonymised version
        bits.append(person.born if person.born.startswith("aged ") else f"born {person.born}")
    if person.deceased:
        bits.append("deceased")
    if person.subject:
        bits.append("the subject child")
    return ", ".join(bits)


def describe(family: Family) -> str:
    """The <desc>: who is on the genogram and how they are joined, in words."""
    names = {person.key: person.name for person in family.people}
    sentences = [f"{len(family.people)} {'person' if len(family.people) == 1 else 'people'}."]
    for union in family.unions:
        if union.a in names and union.b in names:
            sentences.append(f"{names[union.a]} and {names[union.b]}: {union.kind} relationship.")
    for parent, child in family.children:
        if parent in names and child in names:
            sentences.append(f"{names[child]} is a child of {names[parent]}.")
    return " ".join(sentences)


def svg(family: Family, *, title: str = "Genogram", id_prefix: str = "genogram", fit: bool = False) -> str:
    """The whole drawing as an <svg> element, safe to put in a page or a PDF as it is. `fit` makes it as
    wide as its container (in a page, where the column is narrower than a large family; no CSS needed)."""
    placed = layout(family)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "genogram"
    size = 'width="100%"' if fit else f'width="{_n(placed.width)}" height="{_n(placed.height)}"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="genogram" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" {size} '
        f'viewBox="0 0 {_n(placed.width)} {_n(placed.height)}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(describe(family))}</desc>',
    ]
    for union in family.unions:
        if union.a in placed.placed and union.b in placed.placed:
            parts.append(_union(union, placed.placed[union.a], placed.placed[union.b]))
    parts.extend(_children(family, placed.placed))
    parts.extend(_person(item) for item in placed.placed.values())
    parts.append("</svg>")
    return "".join(parts)


def family_to_dict(family: Family) -> dict:
    """Plain data, to be stored with a document version and drawn again when it is rendered. The people
    are already in birth order, so their dates of birth are left out (an anonymised version keeps none)."""
    return {
        "people": [{**person.__dict__, "birth_key": ""} for person in family.people],
        "unions": [dict(union.__dict__) for union in family.unions],
        "children": [list(link) for link in family.children],
    }


def family_from_dict(data: dict) -> Family:
    fields = set(Person.__dataclass_fields__)
    return Family(
        people=tuple(
            Person(**{k: v for k, v in item.items() if k in fields}) for item in data.get("people", [])
        ),
        unions=tuple(
            Union(item["a"], item["b"], item.get("kind", ENDURING)) for item in data.get("unions", [])
        ),
        children=tuple((str(parent), str(child)) for parent, child in data.get("children", [])),
    )


# --- From a referral's family composition -------------------------------------------------------------

FEMALE_WORDS = r"mother|\bmum|\bmom|sister|daughter|\baunt|grandma|\bnan\b|nanna|granny|wife|girlfriend|niece"
MALE_WORDS = r"father|\bdad|brother|\bson\b|uncle|grandad|grandpa|husband|boyfriend|nephew"
DECEASED_WORDS = r"deceased|\bdied\b|\blate\b|\(dec"


def sex_from_relationship(relationship: str) -> str:
    """The referral records a relationship, not a sex: "Mother" is female, "Stepfather" male, "Partner" or
    "Sibling" not known (drawn as a diamond, as App 15 asks when the gender is unknown)."""
    # "Mother's partner" says nothing of the partner's own sex.
    text = re.sub(r"\b(mother|father|mum|dad|mom)['’]s\b", "", relationship.lower())
    if re.search(FEMALE_WORDS, text):
        return FEMALE
    if re.search(MALE_WORDS, text):
        return MALE
    return UNKNOWN


def _kind_of_couple(*relationships: str) -> str:
    text = " ".join(relationships).lower()
    if "divorc" in text:
        return DIVORCED
    if re.search(r"separat|\bex\b|\bex-|former|estranged", text):
        return SEPARATED
    if re.search(r"boyfriend|girlfriend", text):
        return TRANSITORY
    return ENDURING


@dataclass(frozen=True)
class Relative:
    """One family member as the referral has them: the name (or pseudonym), the relationship to the
    child as typed, what to write under the symbol, and the date of birth (ISO) to put siblings in order."""

    key: str
    name: str
    relationship: str
    born: str = ""
    birth_key: str = ""


ROLE_PATTERNS = (
    ("grandparent", r"grand|\bnan\b|nanna|granny"),
    ("step", r"step[\s-]?(mother|father|mum|dad)|partner|boyfriend|girlfriend|husband|wife"),
    ("parent", r"mother|father|\bmum\b|\bdad\b|\bmom\b|parent"),
    ("sibling", r"brother|sister|sibling|half"),
    ("uncle", r"\baunt|\buncle"),
    ("cousin", r"cousin"),
)
# The row each kind of relative stands in when no line places them: grandparents, then parents and other
# adults, then the child's own generation.
ROLE_ROWS = {"grandparent": 0, "step": 1, "parent": 1, "uncle": 1, "other": 1, "sibling": 2, "cousin": 2}


def role_of(relationship: str) -> str:
    text = relationship.lower()
    for role, pattern in ROLE_PATTERNS:
        if re.search(pattern, text):
            return role
    return "other"


def _step_partner(text: str, mother, father):
    """Whose partner a step-parent or partner is: the father's for a stepmother or "father's partner",
    else the mother's (the usual case in the referrals the guidance describes), else whoever is named."""
    flat = re.sub(r"[\s-]", "", text)
    if ("stepmother" in flat or "stepmum" in flat or "father's" in text or "dad's" in text) and father:
        return father
    return mother or father


def family_from_relationships(*, child: Person, relatives: list[Relative]) -> Family:
    """A genogram from a referral's family composition. The subject child hangs from the mother and father
    named (their line shows a separation or divorce if the relationship says so); brothers and sisters
    hang from the same line, in order of birth with the child, half-siblings from the mother if she is
    named; a step-parent or partner is joined to the parent their relationship names; grandparents are
    joined above the parent their relationship says (maternal or paternal) when it can be told. Anyone
    else stands in their generation's row without a line."""
    roles = {r.key: role_of(r.relationship) for r in relatives}
    mother = father = None
    for relative in relatives:
        if roles[relative.key] == "parent":
            sex = sex_from_relationship(relative.relationship)
            if sex == FEMALE and mother is None:
                mother = relative
            elif sex == MALE and father is None:
                father = relative
    parents = [p for p in (mother, father) if p is not None]
    unions: list[Union] = []
    links: list[tuple[str, str]] = [(parent.key, child.key) for parent in parents]
    if mother and father:
        unions.append(
            Union(mother.key, father.key, _kind_of_couple(mother.relationship, father.relationship))
        )
    grandparents: dict[str, list[str]] = {}
    for relative in relatives:
        role, text = roles[relative.key], relative.relationship.lower()
        if role == "sibling":
            for parent in [mother] if "half" in text and mother else parents:
                links.append((parent.key, relative.key))
        elif role == "step":
            partner = _step_partner(text, mother, father)
            if partner is not None:
                unions.append(Union(partner.key, relative.key, _kind_of_couple(relative.relationship)))
        elif role == "grandparent":
            side = mother if "matern" in text else father if "patern" in text else None
            if side is None and len(parents) == 1:
                side = parents[0]
            if side is not None:
                links.append((relative.key, side.key))
                grandparents.setdefault(side.key, []).append(relative.key)
    for pair in grandparents.values():
        if len(pair) == 2:
            unions.append(Union(pair[0], pair[1]))
    drawn = [
        Person(
            key=relative.key,
            name=relative.name,
            sex=sex_from_relationship(relative.relationship),
            relationship=relative.relationship,
            born=relative.born,
            deceased=bool(re.search(DECEASED_WORDS, relative.relationship.lower())),
            row=ROLE_ROWS[roles[relative.key]],
            birth_key=relative.birth_key,
        )
        for relative in relatives
    ]
    everyone = [replace(child, row=ROLE_ROWS["sibling"], subject=True), *drawn]
    # Eldest first among those with a date of birth; the others keep the order they were entered in.
    everyone.sort(key=lambda p: (p.row, p.birth_key or "9999"))
    return Family(people=tuple(everyone), unions=tuple(unions), children=tuple(links))
