"""`epn report`: the Region's printable annual review, in each language."""

from __future__ import annotations

import pytest
from test_documents import pdf_text

from epn.i18n import t
from tests.conftest import stats_file, week_rows


@pytest.fixture
def two_years(cli, registry, tmp_path):
    rows = week_rows("EPN-0001", 2023, hours=18) + week_rows("EPN-0001", 2024, hours=20)
    rows += week_rows("EPN-0002", 2024, hours=10)
    assert cli("ingest", stats_file(tmp_path, "s.csv", rows))[0] == 0
    return registry


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_report_holds_the_key_figures_communes_and_compliance(cli, two_years, tmp_path, lang):
    path = tmp_path / "out" / f"report-{lang}.pdf"
    code, out, err = cli("report", "--year", "2024", "--lang", lang, "-o", path)
    assert code == 0, err
    assert str(path) in out
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert t("app.region.report.title", lang, year=2024) in text
    assert t("app.region.measure.labelled_epns", lang) in text
    assert t("app.region.vs", lang, year=2023) in text  # key figures compared with 2023
    assert "+1" in text  # two labelled EPNs in 2024, one in 2023
    visits = {"fr": "10\u00a0400", "nl": "10.400", "en": "10,400"}[lang]  # 104 weeks × 100
    assert " ".join(visits.split()) in text
    for commune in ("Anderlecht", "Jette"):  # with and without an EPN
        assert commune in text
    assert t("app.rule.opening_hours_min", lang) in text  # Ixelles' short weeks
    assert t("app.region.report.activities_title", lang) in text
    assert t("app.region.report.status_live", lang, date="")[:20] in text


def test_a_published_year_says_so_and_prints_the_published_figures(cli, two_years, tmp_path):
    assert cli("indicators", "--year", "2024", "--freeze")[0] == 0
    rows = week_rows("EPN-0002", 2024, hours=30)  # a late correction: not in the report
    assert cli("ingest", stats_file(tmp_path, "late.csv", rows))[0] == 0
    path = tmp_path / "published.pdf"
    assert cli("report", "--year", "2024", "-o", path)[0] == 0
    text = pdf_text(path.read_bytes())
    assert "par system" in text
    assert "10,0" in text and "30,0" in text  # Ixelles' published hours, the Region's sum
    assert "50,0" not in text  # the Region's sum after the correction


def test_a_year_without_data_still_gives_a_report(cli, registry, tmp_path):
    path = tmp_path / "empty.pdf"
    code, _, err = cli("report", "--year", "2019", "--lang", "en", "-o", path)
    assert code == 0, err
    text = pdf_text(path.read_bytes())
    assert "No figures for 2018" in text and "No findings this year." in text
