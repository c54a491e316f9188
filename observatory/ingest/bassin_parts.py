"""The population of each bassin d'emploi (BMO 2019 geography) by département: how much of a bassin
that straddles départements counts in each (Pays Basque 7539: 8 Landes communes of 131).

The committed extract derives it from Pôle emploi's commune → bassin table and INSEE's municipal
populations; rows are kept for the bassins that touch the database's départements, with every
département of those bassins (the shares need the whole bassin)."""
from __future__ import annotations

import pandas as pd

from observatory.ingest.common import (
    Context, ImportRejected, NothingForTerritory, Parsed, Report, departement_code, header_line, read_csv,
)

KIND = "population_bassins"
LABEL = "Population des bassins d'emploi BMO 2019 par département"
POPULATION_YEAR = 2021
COLUMNS = ["BE19", "NOMBE19", "DEP", "communes", "communes_sans_population", "population", "annee_population"]


def detect(head: bytes, name: str) -> bool:
    first = header_line(head)
    return first.startswith("BE19;") and "annee_population" in first


def parse(data: bytes, file: str, ctx: Context) -> Parsed:
    frame = read_csv(data, file, required=COLUMNS)
    report = Report(KIND, file, rows_read=len(frame))
    frame["DEP"] = frame["DEP"].map(departement_code)
    frame["BE19"] = frame["BE19"].str.strip()
    for column in ("communes", "communes_sans_population", "population", "annee_population"):
        bad = frame[~frame[column].str.strip().str.fullmatch(r"\d{1,9}")]
        if len(bad):
            raise ImportRejected(file, f"« {bad.iloc[0][column]} » n'est pas un nombre entier", line=int(bad.index[0]),
                                 column=column)
    bad = frame[~frame["BE19"].str.fullmatch(r"\d{4}")]
    if len(bad):
        raise ImportRejected(file, f"« {bad.iloc[0]['BE19']} » n'est pas un code de bassin (4 chiffres, ex. 7533)",
                             line=int(bad.index[0]), column="BE19")
    duplicated = frame[frame.duplicated(["BE19", "DEP"])]
    if len(duplicated):
        raise ImportRejected(file, f"le bassin {duplicated.iloc[0]['BE19']} apparaît deux fois pour le département "
                                   f"{duplicated.iloc[0]['DEP']}", line=int(duplicated.index[0]))
    touching = set(frame.loc[frame["DEP"].isin(ctx.departements), "BE19"])
    ours = frame[frame["BE19"].isin(touching)]
    if ours.empty:
        raise NothingForTerritory(file, "aucun bassin d'emploi du territoire de la base dans ce fichier.")
    table = pd.DataFrame({
        "bassin_code": ours["BE19"], "bassin_name": ours["NOMBE19"].str.strip(), "departement_code": ours["DEP"],
        "communes": ours["communes"].astype(int), "population": ours["population"].astype(int),
        "population_year": ours["annee_population"].astype(int),
    })
    report.rows_kept = len(table)
    report.rows_rejected = report.rows_read - report.rows_kept
    unplaced = int(ours["communes_sans_population"].astype(int).sum())
    if unplaced:
        report.notes.append(f"{unplaced} commune(s) de ces bassins sans population (fusionnées depuis 2019) : "
                            "leur population manque à leur bassin.")
    return Parsed(KIND, {"bassin_part": table}, report, publisher="Pôle emploi et INSEE",
                  title="Population des bassins d'emploi (BMO 2019) par département",
                  licence="Licence Ouverte / Etalab 2.0", url="https://github.com/StartupsPoleEmploi/mobiville")
