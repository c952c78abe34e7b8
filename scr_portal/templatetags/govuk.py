"""Small pieces of GOV.UK markup that every app's pages repeat, so that each has one home."""

from django import template

register = template.Library()


@register.inclusion_tag("components/table_head.html")
def table_head(*columns: str, hidden: str = ""):
    """{% table_head "Reference" "Child" hidden="Action" %}: a table's header row, one column heading per
    argument; `hidden`, when given, is a last heading only screen readers announce (over a column of
    links)."""
    return {"columns": columns, "hidden": hidden}
