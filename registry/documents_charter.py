"""The charter a recognised EPN countersigns through its organising authority (art. 7 § 1).

A page or two to print and sign: the EPN and its authority prefilled, every commitment
of the charter numbered, the label's terms (art. 8 and 10), and one signature block for
the organising authority and one for the Region.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from epn.locale import normalize_language
from registry.documents import (
    COMMITMENT_CODES,
    DocumentPdf,
    authority_type_label,
    commune_line,
    document_texts,
    field_value,
)


def charter_pdf(
    epn: Mapping[str, object],
    lang: str = "fr",
    min_public_hours: float = 15,
    today: date | None = None,
) -> bytes:
    """The charter for ``epn`` in ``lang`` (fr, nl, en; French otherwise), as PDF bytes.

    ``min_public_hours`` comes from the versioned charter terms; ``today`` is the issue
    date printed in the footer (the signing date is left blank, to be written by hand).
    """
    lang = normalize_language(lang)
    texts = document_texts(lang, min_public_hours)
    charter = texts["charter"]
    epn_id = field_value(epn, "epn_id")
    pdf = DocumentPdf(texts, lang, charter["title"], charter["short_title"], epn_id, today)
    pdf.title_block(texts["labels"]["region_header"], charter["title"])
    _identification(pdf, epn, texts)
    pdf.heading(charter["commitments_section"])
    pdf.paragraph(charter["commitments_intro"])
    pdf.numbered([texts["commitments"][code] for code in COMMITMENT_CODES])
    pdf.ln(1.5)
    pdf.paragraph(charter["label_terms"], size=9)
    pdf.heading(charter["signatures_section"])
    pdf.signature_blocks([charter["sign_authority"], charter["sign_region"]])
    return bytes(pdf.output())


def _identification(pdf: DocumentPdf, epn: Mapping[str, object], texts: dict) -> None:
    labels, charter = texts["labels"], texts["charter"]
    pdf.heading(charter["epn_section"])
    pdf.field(labels["name"], field_value(epn, "name"))
    pdf.field(labels["epn_id"], field_value(epn, "epn_id"))
    pdf.field(labels["address"], field_value(epn, "address"))
    pdf.field(labels["commune"], commune_line(epn))
    pdf.heading(charter["authority_section"])
    pdf.field(labels["name"], field_value(epn, "authority_name"))
    pdf.field(labels["authority_type"], authority_type_label(epn, texts))
