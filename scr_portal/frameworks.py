"""Review frameworks as data (issue 20). A framework is a statutory process a board runs: the serious case
review of Working Together 2010/2015 (the LSCB era) or the England 2023 process (serious incident
notification, rapid review, local child safeguarding practice review; domain brief §10). A board chooses
one; each case is opened under the board's framework of that day and keeps it to closure.

The engine (the state machines of `referrals` and `reviews`) is shared. A framework declares, as data:
which of each machine's stages and transitions it uses, what it calls them, which named rules guard a
transition on top of the engine's own guards, and its deadline rules, criteria, roles, documents and
wording. The kernel holds the registry and the start-up check; each app registers the parts for its own
machine (a lower layer offers the registry, a higher one registers).

A new stage is added once to the engine, in code, for every framework to use."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

SCR_2010 = "scr-2010-2015"
ENGLAND_2023 = "england-2023"
DEFAULT = SCR_2010


@dataclass(frozen=True)
class Framework:
    """The kernel's part of a framework: its name, its words, its timescales and its criteria."""

    code: str
    name: str
    source: str
    # The words the pages and letters use for this framework's things, e.g. {"review": "serious case
    # review", "referral": "referral", "decision_maker": "LSCB Chair"}. Every framework gives every key.
    wording: dict[str, str]
    deadline_rules: tuple[str, ...] = ()
    criteria: str = ""
    roles: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    description: str = ""

    def word(self, key: str) -> str:
        return self.wording[key]


@dataclass(frozen=True)
class MachinePart:
    """A framework's use of one state machine (`machine` is "app_label.Model.field")."""

    framework: str
    machine: str
    stages: tuple[str, ...]
    transitions: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    # transition name → names of rules (see `register_rule`) that must all hold for this framework.
    guards: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self, state: str, default: str) -> str:
        return self.labels.get(state, default)


# The wording keys every framework must give.
WORDING_KEYS = (
    "review",  # the review this framework holds: "serious case review"
    "review_short",  # "SCR"
    "referral",  # what opens a case: "referral"
    "decision_maker",  # who decides whether the review is held: "LSCB Chair"
    "decision",  # "the Chair's decision"
    "national_body",  # who is sent the report before publication: "Ofsted"
    "author",  # who writes the review's report: "overview author"
    "report",  # the review's report: "overview report"
    "adoption",  # the board's sign-off of the report: "the LSCB's adoption"
    "adopting_meeting",  # the meeting that signs it off: "LSCB meeting that adopted it"
)

_frameworks: dict[str, Framework] = {}
_parts: dict[tuple[str, str], MachinePart] = {}
_machines: dict[str, type] = {}
_rules: dict[str, Callable] = {}


def register_framework(framework: Framework) -> None:
    _frameworks[framework.code] = framework


def register_machine(machine: str, model: type) -> None:
    """An app offers one of its state machines to frameworks: "reviews.Review.state" and the model."""
    _machines[machine] = model


def register_part(part: MachinePart) -> None:
    _parts[(part.framework, part.machine)] = part


def register_rule(name: str, rule: Callable) -> None:
    """A named guard a framework may add to a transition: `rule(instance) -> bool`. Its docstring is
    the reason shown when it does not hold."""
    _rules[name] = rule


def get(code: str) -> Framework:
    return _frameworks[code or DEFAULT]


def all_frameworks() -> list[Framework]:
    return sorted(_frameworks.values(), key=lambda framework: framework.code)


def choices() -> list[tuple[str, str]]:
    return [(framework.code, framework.name) for framework in all_frameworks()]


def part(code: str, machine: str) -> MachinePart:
    return _parts[(code or DEFAULT, machine)]


def state_label(code: str, machine: str, state: str, default: str) -> str:
    found = _parts.get((code or DEFAULT, machine))
    return found.label(state, default) if found else default


def rules_failing(code: str, machine: str, transition: str, instance) -> list[str]:
    """The reasons (first docstring line) of this framework's named rules that stop `transition` now."""
    found = _parts.get((code or DEFAULT, machine))
    if found is None:
        return []
    failing = []
    for name in found.guards.get(transition, ()):
        rule = _rules[name]
        if not rule(instance):
            failing.append((rule.__doc__ or name).strip().splitlines()[0])
    return failing


def uses_transition(code: str, machine: str, transition: str) -> bool:
    found = _parts.get((code or DEFAULT, machine))
    return found is None or transition in found.transitions


def _transition_field(model, name: str) -> str | None:
    """The name of the state field that the model's attribute `name` is a transition of, if it is one."""
    meta = getattr(getattr(model, name, None), "_django_fsm", None)
    if meta is None:
        return None
    return getattr(meta.field, "name", meta.field)


def problems(known_rule_codes: Iterable[str] | None = None) -> list[str]:
    """What is wrong with the declared frameworks; empty when every declaration names real things. Run at
    start-up by the system check `scr_portal.checks.frameworks_declared`."""
    from django_fsm import FSMFieldMixin

    found = []
    for framework in _frameworks.values():
        missing = [key for key in WORDING_KEYS if key not in framework.wording]
        if missing:
            found.append(f"{framework.code}: no wording for {', '.join(missing)}")
        if known_rule_codes is not None:
            unknown = sorted(set(framework.deadline_rules) - set(known_rule_codes))
            if unknown:
                found.append(f"{framework.code}: unknown deadline rules {', '.join(unknown)}")
        for machine in _machines:
            if (framework.code, machine) not in _parts:
                found.append(f"{framework.code}: declares nothing for {machine}")
    for (code, machine), declared in _parts.items():
        if code not in _frameworks:
            found.append(f"{machine}: part for unknown framework {code}")
        model = _machines.get(machine)
        if model is None:
            found.append(f"{code}: unknown machine {machine}")
            continue
        field_name = machine.rsplit(".", 1)[1]
        state_field = model._meta.get_field(field_name)
        states = {value for value, _ in state_field.choices}
        transitions = set()
        if isinstance(state_field, FSMFieldMixin):
            transitions = {name for name in dir(model) if _transition_field(model, name) == field_name}
        for state in (*declared.stages, *declared.labels):
            if state not in states:
                found.append(f"{code} {machine}: unknown stage {state}")
        for name in (*declared.transitions, *declared.guards):
            if name not in transitions:
                found.append(f"{code} {machine}: unknown transition {name}")
        for names in declared.guards.values():
            for name in names:
                if name not in _rules:
                    found.append(f"{code} {machine}: unknown rule {name}")
    return found
