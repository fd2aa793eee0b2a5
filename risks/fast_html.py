"""HTML built in Python, where templates were too slow for the size of a register.

A register of 1,000 risks draws 3,000 heat-map entries, a select of hundreds of owners and a
dashboard of 800 cells: rendered through template includes they were most of those pages'
time. Each piece here writes the same markup a template (or Django's own widget) would, and
tests/risks/test_fast_html.py holds each to that. Every value is escaped or an int.
"""

import html
import json

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Forms -------------------------------------------------------------------------------------


def attrs_html(attrs: dict) -> str:
    """Django's django/forms/widgets/attrs.html, in Python (escaped)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option_attrs(attrs: dict) -> str:
    # An option's attributes are nothing, or "selected", but for a widget given more.
    if not attrs:
        return ""
    return " selected" if attrs == {"selected": True} else attrs_html(attrs)


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's select.html, built in Python.

    Django renders each <option> through a template include: a register's hundreds of risk
    owners made the filter form a large part of the page's time. Optgroups are not used here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # Each option ends in a newline, as the template include of select_option.html does.
        options = "".join(
            f'\n  <option value="{escape(option["value"])}"{_option_attrs(option["attrs"])}>'
            f'{escape(option["label"])}</option>\n'
            for _, group, _ in widget["optgroups"] for option in group
        )
        return mark_safe(  # noqa: S308
            f'<select name="{escape(widget["name"])}"{attrs_html(widget["attrs"])}>'
            f"{options}\n</select>"
        )


def json_script(element_id: str, data) -> SafeString:
    """Django's json_script, with its escaping done by str.replace: several times faster than
    json_script's str.translate over a dozen 2,500-character chart figures."""
    text = (
        json.dumps(data)
        .replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")
    )
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id, mark_safe(text),  # noqa: S308 - <, > and & are escaped above
    )


# Heat maps ----------------------------------------------------------------------------------
# risks/heatmap_table.html wraps these: change the markup here and there together.


def movement_pieces(
    *, arrow: str, sentence: str, position: str, target_position: str, at_target: bool
) -> tuple[str, str, str]:
    """(arrow span, the sentence after "Risk N is at ", the list line after "Risk N: "),
    escaped: the pieces every risk with the same current and target position shares
    (risks.heatmaps caches them per position pair)."""
    arrow_html = (
        f' <span class="rr-heatmap__dir" aria-hidden="true">{escape(arrow)}T</span>'
        if arrow else ""
    )
    line = f"{escape(position)} "
    if target_position:
        line += (
            '<span aria-hidden="true">→</span><span class="govuk-visually-hidden">, target</span> '
            f"{escape(target_position)}{' (at target)' if at_target else ''}"
        )
    else:
        line += "(no target set)"
    return arrow_html, escape(sentence), line


def movement_cell_html(ref: int, pieces: tuple[str, str, str]) -> str:
    """One risk in its heat-map cell: its number, the arrow towards its target, and the
    sentence a screen reader hears."""
    arrow, sentence_tail, _ = pieces
    return (
        f'<li class="rr-heatmap__ref"><strong>{int(ref)}</strong>{arrow}'
        f'<span class="govuk-visually-hidden">: Risk {int(ref)} is at {sentence_tail}</span></li>'
    )


def movement_list_html(ref: int, pieces: tuple[str, str, str]) -> str:
    """One risk in the list under the map."""
    return f"<li>Risk {int(ref)}: {pieces[2]}</li>"


def targets_html(refs: list[int]) -> SafeString:
    """A "T<ref>" marker for each risk whose target is a cell."""
    return mark_safe(" ".join(  # noqa: S308 - refs are ints
        f'<span class="rr-target">T{int(ref)}<span class="govuk-visually-hidden">'
        f" (target of risk {int(ref)})</span></span>"
        for ref in refs
    ))


# Dashboard ----------------------------------------------------------------------------------


def count_row_html(row) -> SafeString:
    """A dashboard row (risks.dashboard.CountRow): the register, a numeric cell per tally
    (each count linking to the register filtered to its risks) and the total.

    50 registers x 3 measures make 150 rows and 800 cells, whose template lookups (and a
    reverse() each) were most of the dashboard's time.
    """
    name = html.escape(row.register.name)
    href = html.escape(f"{row.url}&{row.kind}=")
    cells = []
    for t in row.tallies:
        body = str(int(t.count))
        if t.count and t.key:
            body = (
                f'<a class="govuk-link" href="{href}{html.escape(t.key)}">{body}'
                f'<span class="govuk-visually-hidden"> {html.escape(t.label)}, {name}</span></a>'
            )
        cells.append(
            '<td class="govuk-table__cell govuk-table__cell--numeric" '
            f'data-key="{html.escape(t.key or "none")}">{body}</td>'
        )
    return mark_safe(  # noqa: S308
        f'<tr class="govuk-table__row" data-register="{html.escape(row.register.slug)}">\n'
        f'      <th scope="row" class="govuk-table__header"><a class="govuk-link" '
        f'href="{html.escape(row.url)}">{name}</a></th>\n'
        f'      {"".join(cells)}\n'
        f'      <td class="govuk-table__cell govuk-table__cell--numeric">{int(row.total)}</td>\n'
        "    </tr>"
    )
