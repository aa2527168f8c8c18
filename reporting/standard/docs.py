"""The standard's documentation page, one per language, in Markdown and in HTML.

Both are rendered from one list of blocks built from the published schemas, so the page
says exactly what the schemas say (and they say what ``epn/standard.py`` declares).
"""

from __future__ import annotations

import html
import re

from epn.i18n import t
from epn.locale import LANGUAGES
from reporting.standard.schema import TABLES, VERSION, Table, described_fields, table_schema
from reporting.template.texts import range_text, yes_no

# Which example file holds each part's tables.
EXAMPLE_OF = {
    "registry": "examples/registry.csv",
    "report": "examples/annual-report.xlsx",
    "statistics": "examples/statistics.csv",
}
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}

Block = tuple  # ("h1" | "h2" | "h3" | "p", text) or ("table", header, rows)


def page_blocks(lang: str) -> list[Block]:
    others = ", ".join(
        f"[{LANGUAGE_NAMES[other]}](standard.{other}.html)" for other in LANGUAGES if other != lang
    )
    blocks: list[Block] = [
        ("h1", t("standard.title", lang, version=VERSION)),
        ("p", t("standard.intro", lang)),
        ("p", t("standard.other_languages", lang, links=others)),
        ("h2", t("standard.conventions_title", lang)),
        ("p", t("standard.conventions", lang)),
        ("p", t("standard.outcome", lang)),
    ]
    for part in ("registry", "report", "statistics"):
        blocks.append(("h2", t(f"standard.part.{part}", lang)))
        for table in (table for table in TABLES if table.part == part):
            blocks += table_blocks(table, lang)
    return blocks


def table_blocks(table: Table, lang: str) -> list[Block]:
    schema = table_schema(table)
    required = t(
        "template.sheet_required" if table.sheet.required else "template.sheet_optional", lang
    )
    heading = f"{schema['titles'][lang]} — `{table.sheet.name}` ({required})"
    files = t(
        "standard.files",
        lang,
        schema=f"`{table.schema_path}`",
        example=f"`{EXAMPLE_OF[table.part]}`",
    )
    blocks: list[Block] = [("h3", heading), ("p", schema["descriptions"][lang]), ("p", files)]
    if table.sheet.key_value:
        blocks.append(("p", t("standard.key_value", lang)))
    header = [
        t("template.table.key", lang),
        t("template.table.column", lang),
        t("template.table.type", lang),
        t("template.table.required", lang),
        t("template.table.values", lang),
        t("template.description", lang),
    ]
    yes, no = yes_no(lang)
    rows = [
        [
            f"`{field['name']}`",
            field["titles"][lang],
            t(f"template.type.{column.type}", lang),
            yes if column.required else no,
            allowed_values(field, column, lang),
            field["descriptions"][lang],
        ]
        for field, column in zip(described_fields(schema), table.sheet.columns, strict=True)
    ]
    blocks.append(("table", header, rows))
    if table.sheet.unique_keys:
        keys = ", ".join(f"`{key}`" for key in table.sheet.unique_keys)
        blocks.append(("p", t("standard.unique", lang, keys=keys)))
    return blocks


def allowed_values(field: dict, column, lang: str) -> str:
    constraints = field["constraints"]
    if "enumLabels" in field:
        labels = field["enumLabels"][lang]
        return "; ".join(f"`{code}` — {labels[code]}" for code in constraints["enum"])
    if "enum" in constraints:
        return ", ".join(f"`{code}`" for code in constraints["enum"])
    if column.type == "yesno":
        return " / ".join(yes_no(lang))
    if "exclusiveMinimum" in constraints:
        return f"> {constraints['exclusiveMinimum']}"
    return range_text(column, lang) or ""


def markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            lines += ["#" * int(kind[1]) + " " + block[1], ""]
        elif kind == "p":
            lines += [block[1], ""]
        else:
            _, header, rows = block
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
    "color:#1f2a37;line-height:1.5}table{border-collapse:collapse;width:100%;margin:1rem 0}"
    "th,td{border:1px solid #cbd5e1;padding:.35rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#1f4e8c;color:white}code{background:#eef3fa;padding:0 .2rem}"
    "h2{border-bottom:2px solid #1f4e8c;margin-top:2.5rem}"
)


def html_page(blocks: list[Block], lang: str) -> str:
    title = html.escape(blocks[0][1])
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
    ]
    for block in blocks:
        kind = block[0]
        if kind == "table":
            _, header, rows = block
            head = "".join(f"<th>{inline(h)}</th>" for h in header)
            body = "".join(
                "<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            parts.append(f"<{kind}>{inline(block[1])}</{kind}>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def inline(text: str) -> str:
    """Escaped text with the Markdown the blocks use: `code` and [label](link)."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', escaped)


def documentation_files() -> dict[str, bytes]:
    files = {}
    for lang in LANGUAGES:
        blocks = page_blocks(lang)
        files[f"standard.{lang}.md"] = markdown(blocks).replace(".html)", ".md)").encode("utf-8")
        files[f"standard.{lang}.html"] = html_page(blocks, lang).encode("utf-8")
    return files
