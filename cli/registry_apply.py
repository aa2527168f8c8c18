"""``epn registry apply|attach``: an application and the documents that come with it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import typer

from cli.common import (
    DbOption,
    EpnIdArgument,
    JsonOption,
    LangOption,
    epn_id_value,
    parse_date,
    warn,
)
from cli.readable import percent
from cli.registry_steps import USER, NoteOption, report, run_step
from epn.i18n import t
from epn.standard import AUTHORITY_TYPES, CHANNELS, DOCUMENT_KINDS

AuthorityType = Enum("AuthorityType", {code: code for code in AUTHORITY_TYPES}, type=str)
Channel = Enum("Channel", {code: code for code in CHANNELS}, type=str)
ReceivedOption = Annotated[
    str | None,
    typer.Option("--received-on", help="When it reached the Region, YYYY-MM-DD (default: today)."),
]
DocumentOption = Annotated[
    list[str] | None,
    typer.Option(
        "--document",
        help="KIND=PATH, KIND one of decision, identification, evidence, other; repeatable.",
        show_default=False,
    ),
]


def apply(
    epn_id: Annotated[
        str,
        typer.Option("--epn-id", parser=epn_id_value, help="The new EPN's identifier, EPN-NNNN."),
    ],
    name: Annotated[str, typer.Option("--name", help="The EPN's name, as the public reads it.")],
    commune_nis: Annotated[
        int,
        typer.Option("--commune-nis", min=21001, max=21019, help="NIS code of its commune."),
    ],
    authority_name: Annotated[
        str, typer.Option("--authority-name", help="The public authority that runs it.")
    ],
    authority_type: Annotated[
        AuthorityType, typer.Option("--authority-type", help="The kind of that authority.")
    ],
    received_on: ReceivedOption = None,
    channel: Annotated[
        Channel | None, typer.Option("--channel", help="How the application came: post or email.")
    ] = None,
    address: Annotated[
        str | None, typer.Option("--address", help="Street and number of the EPN.")
    ] = None,
    postcode: Annotated[
        int | None,
        typer.Option("--postcode", min=1000, max=1210, help="Postcode of the EPN."),
    ] = None,
    document: DocumentOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Record an application (status applied), with its documents."""
    from registry import attachments, service

    identity = {
        "epn_id": epn_id.strip(),
        "name": name.strip(),
        "commune_nis": commune_nis,
        "authority_name": authority_name.strip(),
        "authority_type": authority_type.value,
        "address": address.strip() if address else None,
        "postcode": postcode,
    }
    identity = {k: v for k, v in identity.items() if v is not None}
    day = parse_date(received_on, dt.date.today())
    chan = channel.value if channel else None
    docs = [attachments.from_spec(spec) for spec in document or []]
    event_id, state = run_step(
        db,
        "apply",
        identity["epn_id"],
        lambda con: service.apply(con, identity, day, chan, docs, note=note, user=USER),
    )
    duplicates = service.application_warnings(state)
    for found in duplicates:
        warn(
            t(
                "registry_possible_duplicate",
                lang,
                epn_id=state["epn_id"],
                other_id=found["epn_id"],
                name=found["name"],
                score=percent(found["score"], lang),
                reason=t(f"duplicate_reason.{found['reason']}", lang),
            )
        )
    report(event_id, {**state, "possible_duplicates": duplicates}, lang, json)


def attach(
    epn_id: EpnIdArgument,
    document: DocumentOption = None,
    received_on: ReceivedOption = None,
    note: NoteOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Attach documents received after the application (status unchanged)."""
    from registry import attachments, service

    if not document:
        raise typer.BadParameter(
            t("document_bad_spec", lang, value="", kinds="|".join(DOCUMENT_KINDS)),
            param_hint="--document",
        )
    docs = [attachments.from_spec(spec) for spec in document]
    day = parse_date(received_on, dt.date.today())
    report(
        *run_step(
            db,
            "attach",
            epn_id,
            lambda con: service.attach(con, epn_id, docs, day, note=note, user=USER),
        ),
        lang,
        json,
    )
