"""``epn registry documents|charter|application-form``: papers received and papers to print."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    EpnIdArgument,
    JsonOption,
    LangOption,
    db_path,
    epn_id_value,
    print_json,
    say,
)
from cli.readable import size, when
from epn.errors import EpnError
from epn.i18n import t
from epn.locale import LANGUAGES

DocLang = Enum("DocLang", {code: code for code in LANGUAGES}, type=str)
DocLangOption = Annotated[
    DocLang,
    typer.Option(
        "--lang",
        help="Language of the document (default: $EPN_LANGUAGE, else fr).",
        envvar="EPN_LANGUAGE",
        case_sensitive=False,
    ),
]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="PDF file to write.")]


def documents(
    epn_id: EpnIdArgument, db: DbOption = None, json: JsonOption = False, lang: LangOption = "fr"
):
    """The documents received for an EPN, with their sha256."""
    from registry.attachments import documents_of
    from registry.queries import identity_of
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        if identity_of(con, epn_id) is None:
            raise EpnError("step_unknown_epn", epn_id=epn_id)
        found = documents_of(con, epn_id)
    if json:
        print_json(found)
        return
    if not found:
        say(t("registry_documents_none", lang, epn_id=epn_id))
    for doc in found:
        say(
            f"{doc['document_id']:>5}  {when(doc['received_on'], lang)}  "
            f"{t('app.document_kind.' + doc['kind'], lang):<22} "
            f"{size(doc['size_bytes'], lang):>10}  {doc['sha256']}  {doc['filename']}"
        )


def _record(db, epn_id: str, lang: str) -> dict:
    from registry.queries import document_record
    from warehouse.db import connect

    with connect(db_path(db)) as con:
        record = document_record(con, epn_id.strip(), lang)
    if record is None:
        raise EpnError("step_unknown_epn", epn_id=epn_id)
    return record


def _write(path: Path, data: bytes, lang: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    say(t("registry_file_written", lang, path=path))


def charter(
    epn_id: EpnIdArgument,
    lang: DocLangOption = DocLang.fr,
    output: OutputOption = None,
    db: DbOption = None,
):
    """Print the charter of an EPN to countersign (PDF), prefilled from the registry."""
    from registry.documents_charter import charter_pdf
    from validation.charter.terms import terms_for

    today = dt.date.today()
    record = _record(db, epn_id, lang.value)
    pdf = charter_pdf(record, lang.value, terms_for(today.year).min_public_hours, today)
    _write(output or Path(f"charter-{record['epn_id']}-{lang.value}.pdf"), pdf, lang.value)


def application_form(
    epn_id: Annotated[
        str | None,
        typer.Argument(help="EPN to prefill (omit: a blank form).", parser=epn_id_value),
    ] = None,
    lang: DocLangOption = DocLang.fr,
    output: OutputOption = None,
    db: DbOption = None,
):
    """Print the application form (PDF), prefilled from the registry or blank."""
    from registry.documents_application import application_form_pdf
    from validation.charter.terms import terms_for

    today = dt.date.today()
    record = _record(db, epn_id, lang.value) if epn_id else None
    pdf = application_form_pdf(record, lang.value, terms_for(today.year).min_public_hours, today)
    name = f"application-form-{record['epn_id'] if record else 'blank'}-{lang.value}.pdf"
    _write(output or Path(name), pdf, lang.value)
