"""The sandbox in which board-edited wording is rendered.

A business manager edits the wording of a letter in the portal. The wording is Django template language,
but rendered by an engine with no template loaders, no `{% load %}`, and only the tags and filters below:
nothing can include a file, print the settings or the context (`{% debug %}`), turn escaping off, or call
into the case record, because the context holds plain strings, lists and dicts only (built by the
registry's context functions). Every variable a template uses must be one the registry documents for that
kind of document; anything else is refused before the wording is saved, with the unknown names listed.

The wording is plain text with three conventions, turned into HTML here after escaping everything:
a blank line starts a new paragraph, a line starting "## " is a heading, and lines starting "- " are a
bulleted list."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.template import Context, Library, TemplateSyntaxError, defaultfilters, defaulttags
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode
from django.template.engine import Engine
from django.utils.safestring import SafeString, mark_safe

register = Library()

ALLOWED_TAGS = ("if", "for", "with", "comment", "firstof")
ALLOWED_FILTERS = (
    "add",
    "capfirst",
    "cut",
    "default",
    "default_if_none",
    "first",
    "join",
    "last",
    "length",
    "lower",
    "pluralize",
    "title",
    "truncatechars",
    "truncatewords",
    "upper",
    "yesno",
)
for _name in ALLOWED_TAGS:
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ALLOWED_FILTERS:
    register.filters[_name] = defaultfilters.register.filters[_name]

MAX_WORDING_CHARS = 20_000
TOO_LONG = f"The wording must be {MAX_WORDING_CHARS:,} characters or fewer."


class SandboxEngine(Engine):
    default_builtins: list[str] = []


ENGINE = SandboxEngine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    builtins=["scr_portal.documents.sandbox"],
    autoescape=False,  # the output is text, escaped as a whole by `text_to_html`
    debug=False,
)


class WordingError(ValueError):
    """The wording cannot be used; `messages` says why, in words a business manager can act on."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class _Anything:
    """A value whose attributes are not checked (the loop counter `forloop`)."""


ANYTHING = _Anything()


def _lookup(value, name: str):
    if value is ANYTHING:
        return ANYTHING
    if isinstance(value, dict):
        return value[name] if name in value else KeyError
    if isinstance(value, list):
        if name.isdigit():
            return value[int(name)] if int(name) < len(value) else (value[0] if value else ANYTHING)
        return KeyError
    return KeyError


def _item_of(value):
    if value is ANYTHING:
        return ANYTHING
    if isinstance(value, list):
        return value[0] if value else ANYTHING
    if isinstance(value, dict):
        return ANYTHING
    return ANYTHING


@dataclass
class _Scope:
    names: dict

    def child(self, **extra) -> _Scope:
        return _Scope({**self.names, **extra})


def _variables_of(expression) -> list[Variable]:
    """Variables a filter expression reads: its subject and its filter arguments."""
    found = []
    if isinstance(expression, FilterExpression):
        if isinstance(expression.var, Variable) and expression.var.lookups:
            found.append(expression.var)
        for _func, args in expression.filters:
            for is_lookup, arg in args:
                if is_lookup and isinstance(arg, Variable) and arg.lookups:
                    found.append(arg)
    return found


def _condition_expressions(condition) -> list:
    """Filter expressions inside an {% if %} condition (a tree of operators over literals)."""
    if condition is None:
        return []
    if hasattr(condition, "value") and isinstance(condition.value, FilterExpression):
        return [condition.value]
    found = []
    for part in ("first", "second"):
        child = getattr(condition, part, None)
        if child is not None:
            found.extend(_condition_expressions(child))
    return found


def unknown_variables(template, sample: dict) -> list[str]:
    """Names the template reads that the sample context (the documented variables) does not have."""
    unknown: list[str] = []

    def resolve(variable: Variable, scope: _Scope):
        value = scope.names
        for position, name in enumerate(variable.lookups):
            value = _lookup(value, name) if position else scope.names.get(name, KeyError)
            if value is KeyError:
                unknown.append(variable.var)
                return ANYTHING
        return value

    def check_expression(expression, scope: _Scope):
        for variable in _variables_of(expression):
            resolve(variable, scope)

    def walk(nodelist: NodeList, scope: _Scope):
        for node in nodelist:
            visit(node, scope)

    def visit(node: Node, scope: _Scope):
        if isinstance(node, TextNode):
            return
        if isinstance(node, VariableNode):
            check_expression(node.filter_expression, scope)
        elif isinstance(node, IfNode):
            for condition, nodelist in node.conditions_nodelists:
                for expression in _condition_expressions(condition):
                    check_expression(expression, scope)
                walk(nodelist, scope)
        elif isinstance(node, ForNode):
            sequence = ANYTHING
            for variable in _variables_of(node.sequence):
                sequence = resolve(variable, scope)
            item = _item_of(sequence)
            if len(node.loopvars) == 1:
                loop_names = {node.loopvars[0]: item}
            else:
                loop_names = {name: ANYTHING for name in node.loopvars}
            inner = scope.child(forloop=ANYTHING, **loop_names)
            walk(node.nodelist_loop, inner)
            if node.nodelist_empty:
                walk(node.nodelist_empty, scope)
        elif isinstance(node, WithNode):
            extra = {}
            for name, expression in node.extra_context.items():
                check_expression(expression, scope)
                variables = _variables_of(expression)
                extra[name] = resolve(variables[0], scope) if variables else ANYTHING
            walk(node.nodelist, scope.child(**extra))
        elif isinstance(node, FirstOfNode):
            for expression in node.vars:
                check_expression(expression, scope)
        else:
            for attribute in getattr(node, "child_nodelists", ()):
                child = getattr(node, attribute, None)
                if child:
                    walk(child, scope)

    walk(template.nodelist, _Scope(dict(sample)))
    return list(dict.fromkeys(unknown))


def compile_wording(body: str):
    """The compiled template, or WordingError with a message a business manager can act on."""
    if len(body) > MAX_WORDING_CHARS:
        raise WordingError([TOO_LONG])
    try:
        return ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise WordingError([_syntax_message(str(error))]) from None


def _syntax_message(text: str) -> str:
    invalid_tag = re.search(r"Invalid block tag on line (\d+): '([^']+)'", text)
    if invalid_tag:
        line, tag = invalid_tag.groups()
        if tag.startswith("end") or tag in {"else", "elif", "empty"}:
            return f"Line {line}: '{{% {tag} %}}' does not match an opening tag."
        allowed = ", ".join(ALLOWED_TAGS)
        return f"Line {line}: the tag '{{% {tag} %}}' cannot be used in wording. You can use: {allowed}."
    invalid_filter = re.search(r"Invalid filter: '([^']+)'", text)
    if invalid_filter:
        allowed = ", ".join(ALLOWED_FILTERS)
        return f"The filter '|{invalid_filter[1]}' cannot be used in wording. You can use: {allowed}."
    unclosed = re.search(r"Unclosed tag on line (\d+): '([^']+)'", text)
    if unclosed:
        return f"Line {unclosed[1]}: the '{{% {unclosed[2]} %}}' tag is not closed."
    return f"The wording could not be read: {text}"


def validate_wording(body: str, *, sample: dict) -> str:
    """Check wording before it is saved: it parses, uses only documented variables, and renders against
    the sample context. Returns the rendered sample text (the preview); raises WordingError."""
    template = compile_wording(body)
    unknown = unknown_variables(template, sample)
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in unknown)
        raise WordingError(
            [
                f"The wording uses {'a field' if len(unknown) == 1 else 'fields'} this document does not "
                f"have: {names}. Use only the fields listed for this document."
            ]
        )
    try:
        return template.render(Context(sample, autoescape=False))
    except Exception as error:  # a filter given the wrong kind of value, for example
        raise WordingError([f"The wording could not be filled in with the example case: {error}"]) from None


def render_wording(body: str, context: dict) -> str:
    """Render saved (already validated) wording against a document's context, as plain text."""
    return compile_wording(body).render(Context(context, autoescape=False))


def _line_kind(line: str) -> str:
    if line.startswith("## "):
        return "heading"
    if line.lstrip().startswith("- "):
        return "item"
    return "text"


def _block_html(kind: str, lines: list[str]) -> str:
    if kind == "heading":
        return "".join(f"<h2>{html.escape(line[3:].strip())}</h2>" for line in lines)
    if kind == "item":
        return (
            "<ul>" + "".join(f"<li>{html.escape(line.lstrip()[2:].strip())}</li>" for line in lines) + "</ul>"
        )
    return "<p>" + "<br>".join(html.escape(line.strip()) for line in lines) + "</p>"


def text_to_html(text: str) -> SafeString:
    """Plain wording to HTML: everything escaped first, then paragraphs, '## ' headings and '- ' lists.
    Markup typed into any field (a child's name of "<script>…") comes out as text."""
    parts = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        run_kind, run = "", []
        for line in (line.rstrip() for line in block.split("\n") if line.strip()):
            kind = _line_kind(line)
            if run and kind != run_kind:
                parts.append(_block_html(run_kind, run))
                run = []
            run_kind = kind
            run.append(line)
        if run:
            parts.append(_block_html(run_kind, run))
    return mark_safe("\n".join(parts))  # noqa: S308 — every piece of text above is escaped


def flatten_variables(sample: dict, prefix: str = "") -> list[str]:
    """The documented variable names of a sample context, as typed in wording (child.name, agencies.0…)."""
    names = []
    for key, value in sample.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names.extend(flatten_variables(value, f"{name}."))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            names.append(name)
            names.extend(flatten_variables(value[0], f"{name}[each]."))
        else:
            names.append(name)
    return names
