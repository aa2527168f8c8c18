"""The application for the label (art. 7 § 1): a form to print, fill in, sign and send.

It identifies the EPN and its organising authority (prefilled from a registry record, or
blank lines), ticks the authority's type among those eligible (art. 4), lists the
attachments, says where to send it and what follows, and ends with the authority's
declaration, its signature and a box for the administration.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from epn.locale import normalize_language
from epn.standard import AUTHORITY_TYPES
from registry.documents import (
    COLUMN_GAP,
    LINE_H,
    DocumentPdf,
    commune_line,
    document_texts,
    field_value,
)

# (section of the texts, label code, record key); "commune" joins postcode and commune name.
_EPN_FIELDS = (
    ("labels", "name", "name"),
    ("application", "epn_id", "epn_id"),
    ("labels", "address", "address"),
    ("labels", "commune", "commune"),
    ("application", "contact_person", "contact_person"),
    ("application", "phone", "phone"),
    ("application", "email", "email"),
    ("application", "public_hours", "public_hours"),
    ("application", "workstations", "workstations"),
)
_AUTHORITY_FIELDS = (
    ("labels", "name", "authority_name"),
    ("labels", "address", "authority_address"),
    ("application", "representative", "authority_representative"),
)


def application_form_pdf(
    epn: Mapping[str, object] | None = None,
    lang: str = "fr",
    min_public_hours: float = 15,
    today: date | None = None,
) -> bytes:
    """The application form in ``lang`` (fr, nl, en; French otherwise), as PDF bytes.

    With ``epn`` (a registry record) the known fields are prefilled and the authority's
    type is ticked; without it every field is a blank line.
    """
    lang = normalize_language(lang)
    texts = document_texts(lang, min_public_hours)
    form = texts["application"]
    epn_id = field_value(epn, "epn_id")
    pdf = DocumentPdf(texts, lang, form["title"], form["short_title"], epn_id, today)
    pdf.title_block(texts["labels"]["region_header"], form["title"], form["subtitle"])
    pdf.heading(form["epn_section"])
    _fields(pdf, texts, _EPN_FIELDS, epn)
    pdf.heading(form["authority_section"])
    _fields(pdf, texts, _AUTHORITY_FIELDS, epn)
    _authority_types(pdf, texts, field_value(epn, "authority_type"))
    _attachments(pdf, texts)
    pdf.heading(form["sending_section"])
    pdf.paragraph(form["sending"])
    pdf.paragraph(form["procedure"])
    pdf.heading(form["declaration_section"])
    pdf.paragraph(form["declaration"])
    top, width = pdf.signature_blocks([texts["charter"]["sign_authority"]], columns=2)
    _office_box(pdf, texts, top, width)
    return bytes(pdf.output())


def _fields(pdf: DocumentPdf, texts: dict, fields: tuple, epn: Mapping | None) -> None:
    for section, label, key in fields:
        value = commune_line(epn) if key == "commune" else field_value(epn, key)
        pdf.field(texts[section][label], value)


def _authority_types(pdf: DocumentPdf, texts: dict, ticked: str) -> None:
    pdf.ln(3)
    pdf.style(9.5, bold=True)
    pdf.cell(0, 6, texts["application"]["authority_type_prompt"], new_x="LMARGIN", new_y="NEXT")
    for code in AUTHORITY_TYPES:
        pdf.checkbox(texts["authority_types"][code], checked=code == ticked)


def _attachments(pdf: DocumentPdf, texts: dict) -> None:
    pdf.heading(texts["application"]["attachments_section"])
    pdf.paragraph(texts["application"]["attachments_intro"])
    attachments = dict(texts["attachments"])
    other = attachments.pop("other")
    for text in attachments.values():
        pdf.checkbox(text)
    # "Other documents (specify):" comes last, with a line below it to write them on.
    if pdf.will_page_break(LINE_H + 12):
        pdf.add_page()
    pdf.checkbox(other)
    pdf.blank_line("", pdf.l_margin + 7, pdf.get_y(), pdf.epw - 7)
    pdf.ln(8)


def _office_box(pdf: DocumentPdf, texts: dict, top: float, width: float) -> None:
    form, x = texts["application"], pdf.l_margin + width + COLUMN_GAP
    bottom = pdf.get_y()
    pdf.box(x, top, width, 50, form["office_use"])
    for row, code in enumerate(("received_on", "recommendation", "ratified_on")):
        pdf.blank_line(form[code], x + 3, top + 10 + row * 11, width - 6)
    pdf.set_xy(pdf.l_margin, bottom)
