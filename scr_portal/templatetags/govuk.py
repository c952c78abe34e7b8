"""Small pieces of GOV.UK markup that every app's pages repeat, so that each has one home."""

from django import template
from django.template.base import TextNode, token_kwargs
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("components/table_head.html")
def table_head(*columns: str, hidden: str = ""):
    """{% table_head "Reference" "Child" hidden="Action" %}: a table's header row, one column heading per
    argument; `hidden`, when given, is a last heading only screen readers announce (over a column of
    links)."""
    return {"columns": columns, "hidden": hidden}


class TableNode(template.Node):
    def __init__(self, nodelist, columns, options, caption=None):
        self.nodelist = nodelist
        self.columns = columns
        self.options = options
        self.caption = caption

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        columns = [column.resolve(context) for column in self.columns]
        body = None
        if "rows" in self.options and not options["rows"]:
            if not options.get("empty_row"):
                empty = options.get("empty")
                return format_html('<p class="govuk-body">{}</p>', empty) if empty else ""
            body = format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
                len(columns) + bool(options.get("hidden")),
                options["empty_row"],
            )
        if self.caption is not None:
            options["caption"] = self.caption.render(context)
        table = context.template.engine.get_template("components/table.html")
        body = self.nodelist.render(context) if body is None else body
        return table.render(context.new({**options, "columns": columns, "body": body}))


@register.tag
def table(parser, token):
    """{% table "Agency" "Stage" caption="…" testid="imrs" rows=imrs empty="None." %}<tr>…{% endtable %}:
    a GOV.UK table around the rows written inside, with a caption (visually hidden unless caption_class says
    otherwise), the header row of table_head (columns, hidden) and an optional data-testid and extra class.
    A caption with variables is written first inside, as {% caption %}…{% endcaption %}. Given `rows`, a
    table with no rows is replaced by the `empty` paragraph (or by nothing), or keeps its head and shows
    `empty_row` in one row across all columns."""
    bits = token.split_contents()[1:]
    columns = []
    while bits and "=" not in bits[0]:
        columns.append(parser.compile_filter(bits.pop(0)))
    options = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"table: cannot read {' '.join(bits)}")
    nodelist = parser.parse(("caption", "endtable"))
    caption = None
    if parser.next_token().contents == "caption":
        if any(not isinstance(node, TextNode) or node.s.strip() for node in nodelist):
            raise template.TemplateSyntaxError("table: {% caption %} comes first inside the table")
        caption = parser.parse(("endcaption",))
        parser.delete_first_token()
        nodelist = parser.parse(("endtable",))
        parser.delete_first_token()
    return TableNode(nodelist, columns, options, caption)
