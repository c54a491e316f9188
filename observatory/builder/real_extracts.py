"""Compact extracts of real open data, committed in `data/real/`, that every build loads.

The original files (`../shared/real/`, `../shared/samples/`) are too large or not ours to commit.
`python -m observatory extract-real --from ../shared` keeps the rows and columns the observatory
uses, in the original column names so the same importers read them, gzip-compressed
deterministically, and records in `data/real/sources.json` the SHA-256 of each original file and of
each extract. A build replays these extracts through the importers, before the data officer's files.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from observatory import paths
from observatory.builder import lycee_extracts as lycees
from observatory.builder.errors import BuildError
from observatory.builder.referential import load_bmo_metiers

SOURCES_JSON = "sources.json"


def _fap2009_codes() -> set[str]:
    """The FAP 2009 families of our métiers BMO (BMO 2023, DARES tensions, the shortage list)."""
    return {c for codes in load_bmo_metiers(paths.BMO_METIERS_CSV)["codes_fap2009"] for c in codes}


@dataclass(frozen=True)
class Extract:
    file: str  # in data/real/
    kind: str  # the importer that reads it
    original: str  # path under ../shared
    publisher: str
    licence: str
    url: str
    make: Callable[[Path], pd.DataFrame]  # original file → the kept rows and columns
    also: tuple[str, ...] = ()  # other originals the extract is derived from (paths under ../shared)


def _bmo_codes() -> set[str]:
    return set(load_bmo_metiers(paths.BMO_METIERS_CSV)["code_fap2021"]) | _fap2009_codes()


def _bmo(path: Path) -> pd.DataFrame:
    book = pd.ExcelFile(path, engine="openpyxl")
    sheet = next(s for s in book.sheet_names if s.startswith("BMO_") and s.endswith("_open_data"))
    frame = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
    return frame[frame["Code métier BMO"].str.strip().isin(_bmo_codes())]


def _bassins(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[["dep", "codgeo", "codbe", "libbe"]]


def _commune_populations(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[["dep", "cv", "codgeo", "libgeo"] + [c for c in frame.columns if c.startswith("p") and c.endswith("_pop")]]


AGE_GROUPS = ["0 à 19 ans", "20 à 39 ans", "40 à 59 ans", "60 à 74 ans", "75 ans et plus", "Total"]


def _age_groups(path: Path) -> pd.DataFrame:
    """Every year sheet of INSEE's workbook, « Ensemble » columns only, one row per département."""
    from observatory.ingest.population_ages import read_workbook  # the importer's own reader

    return read_workbook(path.read_bytes(), path.name)


def _apprenticeship(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[frame["id_indicateur"] == "nombre-contrats-apprentissage"]


def _tensions(path: Path) -> pd.DataFrame:
    """Every place's rows (France, régions, départements) of our FAP 2009 families."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[frame["fap"].isin(_fap2009_codes())]


def _shortage_list(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[frame["Code FAP"].isin(_fap2009_codes())]


def _social_housing(path: Path) -> pd.DataFrame:
    """Every commune's total, let and vacant social dwellings (the columns the importer reads)."""
    from observatory.ingest.social_housing import COLUMNS

    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")[COLUMNS]


def _cfa_outcomes(path: Path) -> pd.DataFrame:
    """Every CFA's rates (a national database shows them all); the repository's own row number dropped."""
    from observatory.ingest.inserjeunes import COLUMNS, VALUE_ADDED

    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame[COLUMNS + [VALUE_ADDED[0]]]


def _rome_v3_codes() -> set[str]:
    return set(pd.read_csv(paths.ROME_V3_CSV, dtype=str, keep_default_na=False)["code_rome_v3"])


def _bassin_tensions(path: Path) -> pd.DataFrame:
    """Every bassin's rows of the ROME v3 fiches that lead to our professions, columns as published."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rome = "ROME" if "ROME" in frame.columns else "rome"
    return frame[frame[rome].isin(_rome_v3_codes())]


BASSINS_2019 = "real/tensions_bassin/communes_bassins_bmo2019.csv"
POPULATIONS = "real/insee/insee-estimation-population-2024.csv"


def _bassin_parts(path: Path) -> pd.DataFrame:
    """Per bassin d'emploi of 2019 and département: its communes and their population of 2021
    (INSEE, matched by commune code; a commune merged since has no population and is counted apart)."""
    from observatory.ingest.bassin_parts import COLUMNS, POPULATION_YEAR

    communes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    shared = path.parents[len(Path(BASSINS_2019).parts) - 1]  # the folder holding real/ and samples/
    populations = pd.read_csv(shared / POPULATIONS, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    column = f"p{POPULATION_YEAR % 100}_pop"
    population = communes["CODE_COMMUNE_INSEE"].map(populations.set_index("codgeo")[column])
    communes = communes.assign(population=pd.to_numeric(population, errors="coerce"))
    # a bassin's name is written in more than one way in places: its most frequent spelling
    communes["NOMBE19"] = communes.groupby("BE19")["NOMBE19"].transform(lambda names: names.mode().iloc[0])
    parts = communes.groupby(["BE19", "NOMBE19", "DEP"], as_index=False).agg(
        communes=("CODE_COMMUNE_INSEE", "size"), communes_sans_population=("population", lambda s: int(s.isna().sum())),
        population=("population", "sum"))
    parts["population"] = parts["population"].astype(int)
    parts["annee_population"] = POPULATION_YEAR
    return parts[COLUMNS]


def _apa(path: Path) -> pd.DataFrame:
    """Every département's APA beneficiaries (the importer's columns), from 2002 when the APA began."""
    from observatory.ingest.apa import COLUMNS

    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame[(frame["TypeTerritoire"] == "Département") & (frame["NbBenefAPA"] != "")]
    return frame[COLUMNS[:1] + ["Territoire"] + COLUMNS[1:]]


def _social_staff(path: Path) -> pd.DataFrame:
    """Every département's rows of the last year (the one the page shows; France left out), the
    importer's columns."""
    from observatory.ingest.social_staff import COLUMNS

    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame[frame["TypeTerritoire"] == "Département"]
    last = max(frame["Annee"], key=float)
    return frame.loc[frame["Annee"] == last, COLUMNS[:1] + ["Territoire"] + COLUMNS[1:]]


def _age_projection(path: Path) -> pd.DataFrame:
    """The whole table (96 départements), re-encoded from Latin-1 to UTF-8."""
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="latin-1")


def _parcoursup(path: Path) -> pd.DataFrame:
    """The formations of our diplomas (their Parcoursup labels in data/referential/diplomes.csv), the
    importer's columns, every site of France (distances cross the border); and the latest session's
    first formation of every other establishment, for its position (it places the lycées' figures)."""
    from observatory.ingest.parcoursup import COLUMNS, FILIERE, SESSION, UAI

    labels = set(pd.read_csv(paths.DIPLOMAS_CSV, dtype=str, keep_default_na=False)["parcoursup"]) - {""}
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    ours = frame[FILIERE].str.strip().isin(labels)
    latest = frame[~ours].sort_values(SESSION, ascending=False, kind="stable").drop_duplicates(UAI)
    others = latest[~latest[UAI].isin(frame.loc[ours, UAI])]
    return pd.concat([frame[ours], others]).sort_index()[COLUMNS]


def _parcoursup_names(path: Path) -> pd.DataFrame:
    """The formations of our diplomas in a Parcoursup file without establishment numbers (2024), the
    importer's columns, whole France."""
    from observatory.ingest.parcoursup_names import COLUMNS, FILIERE, diploma_of

    labels = {label: label for label in pd.read_csv(paths.DIPLOMAS_CSV, dtype=str, keep_default_na=False)["parcoursup"]
              if label}
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.loc[[diploma_of(label, labels) is not None for label in frame[FILIERE]], COLUMNS]


OPEN = "Licence Ouverte / Etalab 2.0"
EXTRACTS = [
    Extract("formations_parcoursup_nos_diplomes_2018_2019.csv.gz", "parcoursup", "real/parcoursup/parcoursup_2018_2019.csv",
            "MESR-SIES, Parcoursup 2018 et 2019 : places, candidats et admis par formation (via juliengossa/DataESR)",
            OPEN, "https://github.com/juliengossa/DataESR", _parcoursup),
    Extract("bassins_emploi_2021.csv.gz", "bassins", "real/bassins/France_Travail_Bassin_Emploi_2021.csv",
            "France Travail (bassins d'emploi de l'enquête BMO, via le projet ODIS)", OPEN,
            "https://github.com/jbesan/13_odis_stream2", _bassins),
    Extract("population_communes_2013_2021.csv.gz", "population_communes", "real/insee/insee-estimation-population-2024.csv",
            "INSEE (populations municipales, via le projet ODIS)", OPEN,
            "https://github.com/jbesan/13_odis_stream2", _commune_populations),
    Extract("population_departements_ages_1975_2023.csv.gz", "population_ages",
            "real/insee/estim-pop-dep-sexe-gca-1975-2023.xls", "INSEE (estimations de population)",
            "Réutilisation libre avec mention de la source (INSEE)",
            "https://www.insee.fr/fr/statistiques/1893198", _age_groups),
    Extract("bmo_2023.csv.gz", "bmo", "real/bmo/Base_open_data_23.xlsx", "Pôle emploi, enquête BMO 2023", OPEN,
            "https://statistiques.francetravail.org/bmo", _bmo),
    Extract("bmo_2025.csv.gz", "bmo", "real/bmo/Base_open_data_BMO_2025.xlsx", "France Travail, enquête BMO 2025", OPEN,
            "https://statistiques.francetravail.org/bmo", _bmo),
    Extract("apprentissage_departement_40.csv.gz", "apprentissage",
            "samples/apprentissage/barometre-resultats-detail-departement-40.csv",
            "DARES (via le baromètre des résultats de l'action publique, DITP)", OPEN,
            "https://github.com/etalab/barometre-resultats-donnees", _apprenticeship),
    Extract("dares_tensions_2019.csv.gz", "dares_tensions", "real/dares_tensions/tensions.csv",
            "DARES et Pôle emploi, « Les tensions sur le marché du travail » (2019, via StatDares/PortraitStatMetiers)",
            OPEN, "https://github.com/StatDares/PortraitStatMetiers", _tensions),
    Extract("dares_tensions_series_2011_2019.csv.gz", "dares_tensions", "real/dares_tensions/evol_tensions.csv",
            "DARES et Pôle emploi, « Les tensions sur le marché du travail » (série 2011-2019, via StatDares)",
            OPEN, "https://github.com/StatDares/PortraitStatMetiers", _tensions),
    Extract("metiers_en_tension_2024.csv.gz", "metiers_en_tension",
            "real/metiers_en_tension/metiers_en_tension_mars_2024.csv",
            "Ministère du Travail, liste des métiers en tension (mars 2024, via le projet ODIS)", OPEN,
            "https://github.com/jbesan/13_odis_stream2", _shortage_list),
    Extract("logements_sociaux_rpls_2024.csv.gz", "logement_social",
            "real/logement/export_parc_logements_sociaux_jan_2024.csv",
            "SDES, répertoire du parc locatif social (RPLS) au 1er janvier 2024 (via le projet ODIS)", OPEN,
            "https://github.com/jbesan/13_odis_stream2", _social_housing),
    Extract("inserjeunes_cfa_2019_2024.csv.gz", "inserjeunes", "real/inserjeunes/fr-en-inserjeunes-cfa.csv",
            "DEPP et DARES, InserJeunes : devenir des apprentis par CFA (cohortes cumulées 2018-2019 à 2023-2024)",
            OPEN, "https://github.com/HugoSRagain/AnalyseCFA-DonneesInserJeunes", _cfa_outcomes),
    Extract("population_bassins_bmo2019.csv.gz", "population_bassins", BASSINS_2019,
            "Pôle emploi (communes des bassins d'emploi BMO 2019, via StartupsPoleEmploi/mobiville) et INSEE "
            "(populations municipales 2021) : population de chaque bassin par département",
            OPEN, "https://github.com/StartupsPoleEmploi/mobiville", _bassin_parts, also=(POPULATIONS,)),
    Extract("tensions_bassins_nos_fiches_2020.csv.gz", "tensions_bassin", "real/tensions_bassin/tension_bassin_rome_2020.csv",
            "Pôle emploi et DARES, indicateurs de tension par bassin d'emploi et métier ROME (2020, via StartupsPoleEmploi/mobiville)",
            OPEN, "https://github.com/StartupsPoleEmploi/mobiville", _bassin_tensions),
    Extract("tensions_bassins_nos_fiches_2021.csv.gz", "tensions_bassin", "real/tensions_bassin/tension_bassin_rome_2021.csv",
            "Pôle emploi et DARES, offres, demandeurs d'emploi et tension par bassin d'emploi et métier ROME (2021, via StartupsPoleEmploi/mobiville)",
            OPEN, "https://github.com/StartupsPoleEmploi/mobiville", _bassin_tensions),
    Extract("apa_departements_2002_2022.csv.gz", "apa",
            "real/autonomie/beneficiaires_aide_sociale_departementale_1997_2022.csv",
            "DREES, « Les bénéficiaires de l'aide sociale départementale » : bénéficiaires de l'APA en décembre "
            "(via patrickaubert/asdep)", OPEN, "https://github.com/patrickaubert/asdep", _apa),
    Extract("personnel_social_departements_2020.csv.gz", "personnel_social",
            "real/autonomie/personnel_action_sociale_departementale_2014_2020.csv",
            "DREES, « Les bénéficiaires de l'aide sociale départementale » : personnel de l'action sociale et "
            "médico-sociale des départements (via patrickaubert/asdep)", OPEN, "https://github.com/patrickaubert/asdep",
            _social_staff),
    Extract("projection_personnes_agees_2018_2050.csv.gz", "projection_ages",
            "real/autonomie/projections_personnes_agees_60_74_75plus_2018_2050.csv",
            "DREES, projection des personnes âgées de 60 à 74 ans et de 75 ans ou plus par département, scénario "
            "central (via jeandav/st_viellissement)",
            "non précisée par la copie (la DREES publie sous Licence Ouverte / Etalab 2.0)", "https://github.com/jeandav/st_viellissement", _age_projection),
    # the lycées: where each establishment is, then the figures of our formations (placed with it)
    Extract("annuaire_lycees_nos_etablissements.csv.gz", "etablissements", lycees.DIRECTORY,
            "Ministère de l'Éducation nationale, annuaire des lycées (via wramarques/onisep_lycee)", OPEN,
            "https://github.com/wramarques/onisep_lycee", lycees.directory, also=lycees.MEASURE_FILES),
    Extract("lycees_et_leur_commune.csv.gz", "etablissements", lycees.ONISEP_PLACES,
            "ONISEP, lieux d'enseignement (via wramarques/onisep_lycee)", OPEN,
            "https://github.com/wramarques/onisep_lycee", lycees.onisep_places, also=lycees.MEASURE_FILES),
    Extract("eleves_lycees_nos_formations_2020.csv.gz", "lycees", lycees.CONSTAT,
            "DEPP, constat de rentrée 2020 : élèves par lycée et formation (via mission-apprentissage/tjp-pilotage)",
            OPEN, "https://github.com/mission-apprentissage/tjp-pilotage", lycees.measures),
    *[Extract(f"voeux_lycees_nos_formations_{year}.csv.gz", "lycees", name,
              f"DGESCO et DEPP, Affelnet {year} : places et premiers vœux par lycée et formation "
              "(via mission-apprentissage/tjp-pilotage)", OPEN, "https://github.com/mission-apprentissage/tjp-pilotage",
              lycees.measures) for year, name in lycees.AFFELNET.items()],
    *[Extract(f"voeux_bts_nos_formations_{year}.csv.gz", "lycees", name,
              f"MESR-SIES, Parcoursup {year} : places et vœux confirmés des BTS par établissement "
              "(via mission-apprentissage/tjp-pilotage)", OPEN, "https://github.com/mission-apprentissage/tjp-pilotage",
              lycees.measures) for year, name in lycees.BTS.items()],
    # last: its places without number are matched by name with the establishments placed before
    Extract("formations_parcoursup_nos_diplomes_2024.csv.gz", "parcoursup_noms", "real/parcoursup/parcoursup_2024_11_colonnes.csv",
            "MESR-SIES, Parcoursup 2024 : places, candidats et admis par formation (onze colonnes, via "
            "BerlitoPyth/but_sd_app_clean)", OPEN, "https://github.com/BerlitoPyth/but_sd_app_clean", _parcoursup_names),
]


def render(frame: pd.DataFrame) -> bytes:
    """CSV bytes (`;`, UTF-8, LF), the form every extract takes before compression."""
    return frame.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_all(shared: Path, out: Path = paths.REAL_DIR) -> list[dict]:
    """Rebuild every extract from the originals under `shared`; return what `sources.json` records."""
    missing = [str(shared / name) for e in EXTRACTS for name in (e.original, *e.also) if not (shared / name).is_file()]
    if missing:  # before writing anything
        raise FileNotFoundError(f"fichier(s) original(aux) absent(s) : {', '.join(missing[:3])}"
                                + (f" et {len(missing) - 3} autre(s)" if len(missing) > 3 else ""))
    out.mkdir(parents=True, exist_ok=True)
    records = []
    for extract in EXTRACTS:
        original = shared / extract.original
        data = render(extract.make(original))
        (out / extract.file).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        records.append({"file": extract.file, "kind": extract.kind, "original": extract.original,
                        "original_sha256": sha256(original.read_bytes()), "sha256": sha256(data),
                        "rows": data.count(b"\n") - 1, "publisher": extract.publisher,
                        "licence": extract.licence, "url": extract.url,
                        **({"also": {name: sha256((shared / name).read_bytes()) for name in extract.also}}
                           if extract.also else {})})
    (out / SOURCES_JSON).write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return records


@dataclass(frozen=True)
class Embedded:
    """One committed extract, ready for an importer."""

    kind: str
    name: str  # the file name the importer sees (without .gz)
    data: bytes
    sha256: str  # of `data`
    original: str
    original_sha256: str
    publisher: str
    licence: str
    url: str


def embedded(folder: Path = paths.REAL_DIR) -> list[Embedded]:
    """The extracts listed in `sources.json`, in order, each checked against its SHA-256 there.
    A missing, unreadable or altered file raises BuildError naming it and how to restore it."""
    listing = folder / SOURCES_JSON
    if not listing.is_file():
        raise BuildError(_damaged(listing, "absente", "liste des extraits de données réelles"))
    try:
        records = json.loads(listing.read_text(encoding="utf-8"))
        records = [(r["file"], r["kind"], r["sha256"], r["original"], r["original_sha256"], r["publisher"],
                    r["licence"], r["url"]) for r in records]
    except (ValueError, TypeError, KeyError) as error:
        raise BuildError(_damaged(listing, f"illisible ({error})", "liste des extraits de données réelles")) from None
    out = []
    for file, kind, digest, *provenance in records:
        path = folder / file
        if not path.is_file():
            raise BuildError(_damaged(path, "absent"))
        try:
            data = gzip.decompress(path.read_bytes())
        except (OSError, EOFError, zlib.error):
            raise BuildError(_damaged(path, "illisible (ce n'est plus un fichier gzip complet)")) from None
        if sha256(data) != digest:
            raise BuildError(_damaged(path, f"modifié (son empreinte SHA-256 n'est plus celle de {SOURCES_JSON})"))
        out.append(Embedded(kind, file.removesuffix(".gz"), data, digest, *provenance))
    return out


def _damaged(path: Path, what: str, noun: str = "extrait de données réelles") -> str:
    return (f"{noun} {what} : {paths.shown(path)}. Rien n'a été modifié. Pour le rétablir : "
            f"git checkout -- {paths.shown(path.parent)}, ou python -m observatory extract-real --from ../shared "
            "(les fichiers publics d'origine).")


def frame_of(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False)
