"""The printable charter and application form: texts, content and rendering."""

from __future__ import annotations

import math
import re
import tomllib
import zlib
from datetime import date

import pytest

from epn.standard import AUTHORITY_TYPES
from registry.documents import COMMITMENT_CODES, TEXTS_PATH, document_texts, field_value
from registry.documents_application import application_form_pdf
from registry.documents_charter import charter_pdf
from reporting.pdf_page import ENCODING, to_encoding

LANGS = ("fr", "nl", "en")
TODAY = date(2025, 3, 14)
EPN = {
    "epn_id": "EPN-0042",
    "name": "Espace numérique de la Maison des Cultures",
    "address": "Rue de l’Église 12",
    "postcode": 1060,
    "commune_name": "Saint-Gilles",
    "authority_name": "CPAS de Saint-Gilles",
    "authority_type": "cpas",
}

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t"}


def pdf_text(pdf: bytes) -> str:
    """The text shown on the pages, in drawing order, whitespace collapsed.

    Stands in for a real extractor (no pypdf or pdfminer in the venv): the documents use
    core fonts, so every string is a literal ``(…) Tj`` in Windows-1252.
    """
    shown = []
    for match in _STREAM.finditer(pdf):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            content = match.group(1)
        for string in _SHOWN.findall(content):
            raw = re.sub(rb"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), string)
            shown.append(raw.decode(ENCODING))
    return squash(" ".join(shown))


def squash(text: str) -> str:
    return " ".join(text.split())  # also folds the no-break spaces used in the texts


def test_every_text_exists_in_french_dutch_and_english():
    with TEXTS_PATH.open("rb") as handle:
        catalogue = tomllib.load(handle)
    for section, entries in catalogue.items():
        for code, versions in entries.items():
            assert set(versions) == set(LANGS), f"{section}.{code}"
            for lang, text in versions.items():
                assert text.strip(), f"{section}.{code}.{lang} is empty"
                text.encode(ENCODING)  # the core fonts show nothing outside Windows-1252


def test_commitments_have_the_stable_codes_and_a_placeholder_for_the_hours():
    with TEXTS_PATH.open("rb") as handle:
        catalogue = tomllib.load(handle)
    assert tuple(catalogue["commitments"]) == COMMITMENT_CODES
    assert set(catalogue["authority_types"]) == set(AUTHORITY_TYPES)
    for lang in LANGS:
        assert "{min_public_hours}" in catalogue["commitments"]["opening_hours"][lang]
        assert not re.search(r"\d", catalogue["commitments"]["opening_hours"][lang])


@pytest.mark.parametrize("lang", LANGS)
def test_charter_names_the_epn_its_authority_and_every_commitment(lang):
    pdf = charter_pdf(EPN, lang, today=TODAY)
    texts = document_texts(lang, 15)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    for expected in (
        texts["charter"]["title"],
        EPN["name"],
        EPN["epn_id"],
        EPN["address"],
        "1060 Saint-Gilles",
        EPN["authority_name"],
        texts["authority_types"]["cpas"],
        texts["charter"]["sign_authority"],
        texts["charter"]["sign_region"],
        texts["labels"]["signature"],
        texts["labels"]["place"],
        *texts["commitments"].values(),
    ):
        assert squash(expected) in text
    assert "15" in squash(texts["commitments"]["opening_hours"])


def test_charter_titles_in_each_language():
    assert "Charte des espaces publics numériques reconnus par la Région de Bruxelles-Capitale" in (
        pdf_text(charter_pdf(EPN, "fr", today=TODAY))
    )
    assert "Brussels Hoofdstedelijk Gewest" in pdf_text(charter_pdf(EPN, "nl", today=TODAY))
    assert "Brussels-Capital Region" in pdf_text(charter_pdf(EPN, "en", today=TODAY))


@pytest.mark.parametrize(
    ("lang", "hours", "shown"),
    [("fr", 20, "au moins 20 heures"), ("nl", 20, "minstens 20 uur"), ("en", 17.5, "least 17.5")],
)
def test_charter_prints_the_minimum_hours_it_is_given(lang, hours, shown):
    text = pdf_text(charter_pdf(EPN, lang, min_public_hours=hours, today=TODAY))
    assert shown in text
    assert squash(document_texts(lang, 15)["commitments"]["opening_hours"]) not in text


def test_decimal_hours_use_a_comma_in_french():
    text = pdf_text(charter_pdf(EPN, "fr", min_public_hours=17.5, today=TODAY))
    assert "au moins 17,5 heures" in text


@pytest.mark.parametrize("hours", [0, -3, math.nan, math.inf])
def test_minimum_hours_must_be_a_positive_number(hours):
    with pytest.raises(ValueError, match="min_public_hours"):
        charter_pdf(EPN, min_public_hours=hours, today=TODAY)


@pytest.mark.parametrize("lang", LANGS)
def test_application_form_is_prefilled_and_lists_types_and_attachments(lang):
    pdf = application_form_pdf(EPN, lang, today=TODAY)
    texts = document_texts(lang, 15)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    for expected in (
        texts["application"]["title"],
        EPN["name"],
        EPN["authority_name"],
        texts["application"]["sending"],
        texts["application"]["declaration"],
        texts["charter"]["sign_authority"],
        *texts["authority_types"].values(),
        *texts["attachments"].values(),
    ):
        assert squash(expected) in text
    assert f"X {squash(texts['authority_types']['cpas'])}" in text
    assert text.count(" X ") == 1  # only the EPN's own authority type is ticked


@pytest.mark.parametrize("lang", LANGS)
def test_blank_application_form_has_lines_to_fill_in(lang):
    pdf = application_form_pdf(None, lang, today=TODAY)
    texts = document_texts(lang, 15)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert squash(texts["application"]["contact_person"]) in text
    assert squash(texts["attachments"]["decision_in_principle"]) in text
    assert " X " not in text
    assert EPN["name"] not in text


def test_application_form_prints_the_minimum_hours_it_is_given():
    text = pdf_text(application_form_pdf(EPN, "fr", min_public_hours=20, today=TODAY))
    assert "au moins 20 heures par semaine" in text


def test_accents_ligatures_and_symbols_render():
    epn = {
        **EPN,
        "name": "L’Œuvre – Espace « Café numérique » à 0 € – Schaerbeek/Schaarbeek ë ï",
        "authority_name": "ASBL Ĳsselmeer & Łódź",  # outside Windows-1252: simplified
    }
    for lang in LANGS:
        charter_text = pdf_text(charter_pdf(epn, lang, today=TODAY))
        form_text = pdf_text(application_form_pdf(epn, lang, today=TODAY))
        for text in (charter_text, form_text):
            assert epn["name"] in text
            assert "ASBL IJsselmeer & ?ódz" in text


def test_characters_outside_the_core_fonts_are_simplified_not_fatal():
    assert to_encoding("Œ’€ éèêë") == "Œ’€ éèêë"
    assert to_encoding("ĳ ő ł ✓") == "ij o ? ?"


def test_missing_values_give_blank_lines_not_placeholders():
    epn = {"name": "EPN Anneessens", "postcode": 1000.0, "address": None, "epn_id": math.nan}
    text = pdf_text(charter_pdf(epn, "fr", today=TODAY))
    assert "EPN Anneessens" in text
    assert "1000" in text and "1000.0" not in text
    assert "None" not in text and "nan" not in text
    assert field_value({"commune_name": "<NA>"}, "commune_name") == ""


def test_footer_shows_the_issue_date_and_page_count():
    text = pdf_text(charter_pdf(EPN, "fr", today=TODAY))
    assert "EPN-0042 – Édité le 14/03/2025" in text
    assert "Page 1/ 1" in text  # the total is written in after the last page


def test_unknown_language_falls_back_to_french():
    assert "Engagements" in pdf_text(charter_pdf(EPN, "de", today=TODAY))


def test_same_inputs_give_the_same_bytes():
    assert charter_pdf(EPN, "nl", today=TODAY) == charter_pdf(EPN, "nl", today=TODAY)
    assert application_form_pdf(EPN, today=TODAY) == application_form_pdf(EPN, today=TODAY)
