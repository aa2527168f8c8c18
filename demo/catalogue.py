"""The demo's EPNs: who they are, where, and the part each plays in the story.

Names, streets and organising authorities are plausible Brussels ones; the postcode is
always one of the commune's (warehouse/reference/brussels_communes.csv). Each site also
says how its registry history unfolds (``story``), how its weeks behave (``profile``) and
how it sends its statistics (``cadence`` and ``file_format`` until 2025, ``monthly`` from
2026), so that the demo shows every status, every statistics rule and every upload outcome
at least once.
"""

from __future__ import annotations

from dataclasses import dataclass

# Registry stories
LABELLED = "labelled"  # history import, labelled 2019-2022
LABELLED_2023 = "labelled_2023"  # history import, labelled during 2023 (part-year)
SIGNED_2024 = "signed_2024"  # full procedure through registry.service, labelled in 2024
WITHDRAWN_REQUEST = "withdrawn_request"  # labelled, then withdrawn at the authority's request
WITHDRAWN_REPEATED = "withdrawn_repeated"  # labelled, then withdrawn for repeated breaches
APPLIED = "applied"
RECOMMENDED = "recommended"
RATIFIED = "ratified"
REJECTED = "rejected"
IN_PROGRESS = (APPLIED, RECOMMENDED, RATIFIED, REJECTED)

# Weekly behaviour
COMPLIANT = "compliant"
# staff shortage in spring 2024, and again for two weeks of February 2026: under 15 hours
LOW_HOURS_2024 = "low_hours_2024"
FACILITATOR_GAP_2025 = "facilitator_gap_2025"  # facilitator on sick leave early 2025
MISSING_WEEKS = "missing_weeks"  # forgets a few weeks in 2024 and 2025, never sends them
STOPS_SENDING = "stops_sending"  # sends nothing after spring 2025, and never again
CHRONIC_LOW_HOURS = "chronic_low_hours"  # open too few hours in 2023 and 2024

# Upload incidents
TYPO_CORRECTED = "typo_corrected"  # hours typed with a slipped comma, corrected later
WEEKS_SENT_LATER = "weeks_sent_later"  # weeks left out of a yearly file, sent a month later
REJECTED_THEN_FIXED = "rejected_then_fixed"  # a file refused (bad dates), then sent again
SENT_TWICE = "sent_twice"  # the same file sent again: a duplicate

# How statistics are sent
CSV_FR = "csv_fr"  # ";" separated, decimal comma, French headers (Excel in a Belgian locale)
CSV_KEYS = "csv_keys"  # "," separated, the standard's keys as headers
XLSX_FR = "xlsx_fr"
XLSX_KEYS = "xlsx_keys"
IN_REPORT = "in_report"  # cadence: the weeks go in the annual report's ``weekly`` sheet

# From 2026 the Region wants the weeks every month, so that its dashboards stay current: a
# month's weeks (by their Thursday, as ISO weeks go) arrive a few days after it ends, and
# the current month's weeks so far just before the demo runs. The annual report no longer
# carries weeks. Most EPNs fill the Region's monthly form, whose export reaches the Region
# as one CSV for all of them; a few keep sending their own file, now once a month.
MONTHLY_FROM = 2026
FORM = "form"
OWN_FILE = "own_file"

GROUP_NAMES = {"ville-de-bruxelles": "Ville de Bruxelles"}  # authorities reporting together


@dataclass(frozen=True)
class Site:
    key: str
    commune_nis: int
    name: str
    address: str
    postcode: int
    authority_name: str
    authority_type: str
    workstations: int
    story: str = LABELLED
    profile: str = COMPLIANT
    cadence: str = "year"  # quarter | year: one file per period; or IN_REPORT
    file_format: str = CSV_KEYS  # of statistics files; reports are the template, filled
    group: str | None = None  # sites of one group are sent together, in one file
    incident: str | None = None
    lang: str = "fr"  # the language of its annual report template
    monthly: str = FORM  # how its weeks arrive from MONTHLY_FROM on: FORM | OWN_FILE

    @property
    def sends_statistics(self) -> bool:
        return self.story not in IN_PROGRESS


# One EPN per entry: a table reads better than one value per line.
# fmt: off
SITES = (
    Site("anderlecht-biblio", 21001, "EPN Bibliothèque d'Anderlecht", "Rue du Chapelain 1",
         1070, "Bibliothèques communales d'Anderlecht", "local_body", 12, cadence=IN_REPORT),
    Site("anderlecht-cpas", 21001, "Espace numérique du CPAS d'Anderlecht",
         "Avenue Raymond Vander Bruggen 62", 1070, "CPAS d'Anderlecht", "cpas", 10,
         file_format=CSV_FR),
    Site("anderlecht-peterbos", 21001, "Maison de quartier du Peterbos asbl",
         "Parc du Peterbos 9", 1070, "Maison de quartier du Peterbos asbl", "non_market", 6,
         profile=STOPS_SENDING, cadence="quarter"),
    Site("auderghem-biblio", 21002, "EPN Bibliothèque d'Auderghem",
         "Boulevard du Souverain 187", 1160, "Bibliothèque communale d'Auderghem", "local_body",
         8, story=LABELLED_2023, cadence=IN_REPORT),
    Site("berchem-commune", 21003, "Espace public numérique de Berchem-Sainte-Agathe",
         "Avenue du Roi Albert 33", 1082, "Commune de Berchem-Sainte-Agathe", "commune", 8,
         profile=MISSING_WEEKS, file_format=CSV_FR),
    Site("bruxelles-laeken", 21004, "EPN Bibliothèque de Laeken",
         "Boulevard Émile Bockstael 246", 1020, "Bibliothèques de la Ville de Bruxelles",
         "local_body", 14, file_format=XLSX_FR, group="ville-de-bruxelles", monthly=OWN_FILE),
    Site("bruxelles-cpas", 21004, "Espace numérique du CPAS de Bruxelles", "Rue Haute 298A",
         1000, "CPAS de la Ville de Bruxelles", "cpas", 16, file_format=CSV_FR,
         incident=WEEKS_SENT_LATER),
    Site("bruxelles-noh", 21004, "Cyberespace de Neder-Over-Heembeek", "Rue de Ransbeek 230",
         1120, "Ville de Bruxelles", "commune", 8, profile=LOW_HOURS_2024, file_format=XLSX_FR,
         group="ville-de-bruxelles", monthly=OWN_FILE),
    Site("bruxelles-marolles", 21004, "Maison de quartier des Marolles asbl", "Rue Blaes 146",
         1000, "Maison de quartier des Marolles asbl", "non_market", 6, cadence=IN_REPORT),
    Site("bruxelles-vgc", 21004, "Digipunt Brussel", "Emile Jacqmainlaan 135", 1000,
         "Vlaamse Gemeenschapscommissie", "community_administration", 12, cadence=IN_REPORT,
         lang="nl"),
    Site("etterbeek-commune", 21005, "Espace numérique d'Etterbeek", "Avenue d'Auderghem 115",
         1040, "Commune d'Etterbeek", "commune", 10, cadence=IN_REPORT),
    Site("etterbeek-cpas", 21005, "Espace numérique du CPAS d'Etterbeek",
         "Avenue des Casernes 31", 1040, "CPAS d'Etterbeek", "cpas", 8, story=LABELLED_2023,
         file_format=CSV_FR),
    Site("evere-biblio", 21006, "EPN Bibliothèque d'Evere", "Square Servaes Hoedemaekers 10",
         1140, "Bibliothèque communale d'Evere", "local_body", 8, incident=REJECTED_THEN_FIXED),
    Site("forest-cpas", 21007, "Espace numérique du CPAS de Forest", "Rue du Curé 35", 1190,
         "CPAS de Forest", "cpas", 10, profile=FACILITATOR_GAP_2025, file_format=CSV_FR),
    Site("forest-saint-antoine", 21007, "Maison de quartier Saint-Antoine asbl",
         "Parvis Saint-Antoine 5", 1190, "Maison de quartier Saint-Antoine asbl", "non_market",
         4, story=REJECTED),
    Site("ganshoren-commune", 21008, "EPN de Ganshoren", "Avenue Charles-Quint 140", 1083,
         "Commune de Ganshoren", "commune", 6, cadence=IN_REPORT),
    Site("ixelles-biblio", 21009, "EPN Bibliothèque d'Ixelles", "Rue Mercelis 19", 1050,
         "Bibliothèques communales d'Ixelles", "local_body", 14, file_format=XLSX_FR,
         incident=SENT_TWICE),
    Site("ixelles-flagey", 21009, "Atelier numérique Flagey asbl", "Rue de la Cuve 12", 1050,
         "Atelier numérique Flagey asbl", "non_market", 6, story=APPLIED),
    Site("jette-biblio", 21010, "EPN Bibliothèque de Jette", "Place Cardinal Mercier 10", 1090,
         "Bibliothèque communale de Jette", "local_body", 10, file_format=XLSX_FR,
         incident=TYPO_CORRECTED),
    Site("jette-cpas", 21010, "Espace numérique du CPAS de Jette",
         "Rue de l'Église Saint-Pierre 47", 1090, "CPAS de Jette", "cpas", 8,
         cadence=IN_REPORT),
    Site("koekelberg-commune", 21011, "EPN de Koekelberg", "Place Henri Vanhuffel 6", 1081,
         "Commune de Koekelberg", "commune", 6, story=WITHDRAWN_REPEATED,
         profile=CHRONIC_LOW_HOURS),
    Site("molenbeek-cultures", 21012, "EPN de la Maison des Cultures de Molenbeek",
         "Rue Mommaerts 4", 1080, "Maison des Cultures et de la Cohésion sociale", "local_body",
         12, cadence=IN_REPORT),
    Site("molenbeek-cpas", 21012, "Espace numérique du CPAS de Molenbeek-Saint-Jean",
         "Rue Alphonse Vandenpeereboom 14", 1080, "CPAS de Molenbeek-Saint-Jean", "cpas", 12,
         cadence=IN_REPORT),
    Site("molenbeek-ribaucourt", 21012, "Maison de quartier Ribaucourt asbl",
         "Rue de Ribaucourt 60", 1080, "Maison de quartier Ribaucourt asbl", "non_market", 5,
         story=WITHDRAWN_REQUEST),
    Site("saint-gilles-commune", 21013, "EPN de Saint-Gilles", "Place Maurice Van Meenen 39",
         1060, "Commune de Saint-Gilles", "commune", 10, cadence=IN_REPORT),
    Site("saint-gilles-porte-de-hal", 21013, "Espace numérique Porte de Hal asbl",
         "Rue de Mérode 50", 1060, "Espace numérique Porte de Hal asbl", "non_market", 6,
         story=RATIFIED),
    Site("saint-josse-commune", 21014, "Espace numérique de Saint-Josse", "Rue de l'Union 26",
         1210, "Commune de Saint-Josse-ten-Noode", "commune", 8, story=APPLIED),
    Site("saint-josse-actiris", 21014, "Espace numérique d'Actiris",
         "Avenue de l'Astronomie 14", 1210, "Actiris", "regional_administration", 20,
         story=SIGNED_2024, file_format=XLSX_KEYS, monthly=OWN_FILE),
    Site("schaerbeek-sesame", 21015, "EPN Bibliothèque Sésame", "Boulevard Lambermont 200",
         1030, "Bibliothèques communales de Schaerbeek", "local_body", 12, cadence=IN_REPORT),
    Site("schaerbeek-cpas", 21015, "Espace numérique du CPAS de Schaerbeek",
         "Boulevard Auguste Reyers 70", 1030, "CPAS de Schaerbeek", "cpas", 10,
         cadence=IN_REPORT),
    Site("schaerbeek-helmet", 21015, "Maison de quartier Helmet asbl", "Chaussée de Helmet 177",
         1030, "Maison de quartier Helmet asbl", "non_market", 5, story=RECOMMENDED),
    Site("uccle-commune", 21016, "Espace numérique d'Uccle", "Place Jean Vander Elst 29", 1180,
         "Commune d'Uccle", "commune", 10, story=SIGNED_2024, cadence=IN_REPORT),
    Site("watermael-commune", 21017, "EPN de Watermael-Boitsfort", "Place Antoine Gilson 1",
         1170, "Commune de Watermael-Boitsfort", "commune", 6, story=LABELLED_2023,
         cadence=IN_REPORT),
    Site("wsl-cpas", 21018, "Espace numérique du CPAS de Woluwe-Saint-Lambert",
         "Rue de la Charrette 27", 1200, "CPAS de Woluwe-Saint-Lambert", "cpas", 8,
         cadence=IN_REPORT),
    Site("wsp-biblio", 21019, "EPN Bibliothèque de Woluwe-Saint-Pierre",
         "Avenue Charles Thielemans 93", 1150, "Bibliothèque communale de Woluwe-Saint-Pierre",
         "local_body", 10, cadence=IN_REPORT),
)
# fmt: on
