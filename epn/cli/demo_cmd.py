"""``epn demo``: fills an empty warehouse with realistic demo data, through the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from demo.generate import DEFAULT_SEED, DemoRefused, DemoResult, run_demo
from epn.cli.common import DbOption, JsonOption, LangOption, db_path, print_json, say, warn

# The catalogue belongs to another part of the tree; these few lines stay here.
TEXTS = {
    "fr": {
        "refused": "L'entrepôt {db} contient déjà des données : la démo ne remplit qu'un "
        "entrepôt vide. Choisissez un autre fichier avec --db.",
        "epns": "EPN : {epns} dans {communes} communes ({statuses})",
        "files": "Fichiers : {files} envoyés depuis {dir} ({uploads})",
        "weeks": "Statistiques : {rows} semaines-EPN, du {first} au {last}",
        "year": "Constats {year} : {compliant} EPN sur {evaluated} sans manquement ; {codes}",
        "done": "Démo prête en {seconds} s dans {db}",
    },
    "nl": {
        "refused": "Het datapakhuis {db} bevat al gegevens: de demo vult enkel een leeg "
        "datapakhuis. Kies een ander bestand met --db.",
        "epns": "EPN's: {epns} in {communes} gemeenten ({statuses})",
        "files": "Bestanden: {files} verstuurd uit {dir} ({uploads})",
        "weeks": "Statistieken: {rows} EPN-weken, van {first} tot {last}",
        "year": "Vaststellingen {year}: {compliant} van {evaluated} EPN's zonder tekortkoming; "
        "{codes}",
        "done": "Demo klaar in {seconds} s in {db}",
    },
    "en": {
        "refused": "The warehouse {db} already holds data: the demo only fills an empty "
        "warehouse. Choose another file with --db.",
        "epns": "EPNs: {epns} in {communes} communes ({statuses})",
        "files": "Files: {files} sent from {dir} ({uploads})",
        "weeks": "Statistics: {rows} EPN-weeks, from {first} to {last}",
        "year": "Findings {year}: {compliant} of {evaluated} EPNs without breach; {codes}",
        "done": "Demo ready in {seconds} s in {db}",
    },
}


def demo(
    db: DbOption = None,
    files_dir: Annotated[
        Path | None,
        typer.Option(
            "--files-dir",
            help="Where to write the generated files (default: a new temporary folder).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the generator.")] = DEFAULT_SEED,
    json: JsonOption = False,
    lang: LangOption = "fr",
):
    """Fills an empty warehouse with realistic demo data through the real ingest path."""
    texts = TEXTS.get(lang, TEXTS["fr"])
    path = db_path(db)
    try:
        result = run_demo(path, files_dir, seed)
    except DemoRefused:
        warn(texts["refused"].format(db=path))
        raise typer.Exit(1) from None
    if json:
        print_json(result.to_dict())
        return
    for line in summary_lines(result, texts):
        say(line)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def summary_lines(result: DemoResult, texts: dict[str, str]) -> list[str]:
    lines = [
        texts["epns"].format(
            epns=result.epns, communes=result.communes, statuses=_counts(result.statuses)
        ),
        texts["files"].format(
            files=result.files, dir=result.files_dir, uploads=_counts(result.uploads)
        ),
        texts["weeks"].format(rows=result.weekly_rows, first=result.weeks[0], last=result.weeks[1]),
    ]
    for year, codes in result.findings.items():
        lines.append(
            texts["year"].format(
                year=year,
                compliant=result.compliant[year],
                evaluated=result.evaluated[year],
                codes=_counts(codes) or "-",
            )
        )
    lines.append(texts["done"].format(seconds=result.seconds, db=result.db))
    return lines
