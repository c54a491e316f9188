"""What the DREES files of the départements' social assistance (beneficiaries, staff) share: one row
per territory and year, `TypeTerritoire` telling départements from régions and France, `Annee`
written as a decimal (« 2022.0 ») by the R package they were read from."""
from __future__ import annotations

import re

import pandas as pd

from observatory.ingest.common import Context, ImportRejected, NothingForTerritory, departement_code


def departement_rows(frame: pd.DataFrame, ctx: Context, file: str, nothing: str) -> pd.DataFrame:
    """The rows of the base's départements, with their `code`; `nothing` says what is missing if none."""
    places = frame[frame["TypeTerritoire"].str.strip() == "Département"].copy()
    places["code"] = places["Code.departement"].map(departement_code)
    ours = places[places["code"].isin(ctx.departements)]
    if ours.empty:
        raise NothingForTerritory(file, f"{nothing} pour le(s) département(s) de la base "
                                        f"({', '.join(sorted(ctx.departements)[:5])}).")
    return ours


def year(row: pd.Series, file: str, line: int) -> int:
    text = str(row["Annee"]).strip().removesuffix(".0")
    if not re.fullmatch(r"(19|20)\d{2}", text):
        raise ImportRejected(file, f"année « {row['Annee']} » invalide", line=line, column="Annee")
    return int(text)


def refuse_repeats(table: pd.DataFrame, keys: list[str], file: str) -> None:
    """A département given twice for the same year (and `keys`): the file says two things, refused."""
    repeated = table[table.duplicated(keys)]
    if len(repeated):
        raise ImportRejected(file, f"le département {repeated.iloc[0]['departement_code']} apparaît deux fois pour "
                                   f"{repeated.iloc[0]['year']}")
