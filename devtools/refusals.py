"""`python -m devtools.refusals`: how long, and how much memory, a refusal of an oversized or
hostile file costs, and what a valid 200 000-offer file costs to import.

Each case is imported by a child process on a fresh Landes database in a temporary folder (the
live database is never touched); the table gives its wall time, its peak memory (the child's
maximum resident set) and the first words of its message.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from observatory import builder, paths

TARGET_S, TARGET_MB = 5, 300


def _inflating_xlsx(path: Path, inflated: int) -> None:
    """A zip shaped like an xlsx whose sheet inflates to `inflated` bytes of varied rows."""
    rng = random.Random(1)
    pool = ["".join(f'<c t="inlineStr"><is><t>{rng.getrandbits(64):x}</t></is></c>' for _ in range(20))
            for _ in range(400)]  # varied rows that deflate about 10:1, as a real inflated sheet does
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            written = 0
            while written < inflated:
                chunk = "".join(f"<row>{rng.choice(pool)}</row>" for _ in range(50)).encode()
                sheet.write(chunk)
                written += len(chunk)


def _template_xlsx(path: Path, rows: int, bad_last: bool) -> None:
    from openpyxl import Workbook

    from observatory.ingest import template

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Données")
    sheet.append(template.COLUMNS)
    for i in range(rows):
        sheet.append([2000 + i % 26, "4005", "aide-soignant", "initiale", 30, 50, 28, 25, None, None, f"IFAS {i}"])
    if bad_last:
        sheet.append([2025, "4O05", "aide-soignant", "initiale", 30, 50, 28, 25, None, None, "IFAS"])
    book.save(path)


def _offers(path: Path, n: int, bad_last: bool) -> None:
    """`n` France Travail offers in Landes communes, as the API returns them."""
    communes = ["40088", "40192", "40046", "40190", "40281", "40279"]
    romes = ["J1501", "K1302", "K1207", "J1506", "J1301"]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"resultats": [')
        for i in range(n):
            created = "2999-13-45T00:00:00.000Z" if bad_last and i == n - 1 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00.000Z"
            offer = {"id": f"{100000 + i}A", "intitule": "Aide-soignant (H/F) " + "x" * 400, "romeCode": romes[i % 5],
                     "dateCreation": created, "lieuTravail": {"libelle": "40 - DAX", "commune": communes[i % 6]},
                     "description": "Poste en EHPAD. " * 20}
            out.write(("," if i else "") + json.dumps(offer, ensure_ascii=False))
        out.write("]}")


CASES = {  # name: (maker, kind, expected to be refused)
    "classeur qui gonfle à 250 Mo": (lambda p: _inflating_xlsx(p, 250_000_000), "template", True),
    "JSON de 1,2 Go": (lambda p: open(p, "wb").truncate(1_200_000_000), "france-travail", True),
    "classeur de 100 000 lignes, erreur à la dernière": (lambda p: _template_xlsx(p, 100_000, True), "template", True),
    "200 000 offres, date impossible à la dernière": (lambda p: _offers(p, 200_000, True), "france-travail", True),
    "200 000 offres valides": (lambda p: _offers(p, 200_000, False), "france-travail", False),
}
SUFFIX = {"template": ".xlsx", "france-travail": ".json"}


def _one(file: Path, kind: str, db: Path) -> None:
    """In the child: import one file, print the outcome as JSON."""
    from observatory.builder import imported_files
    from observatory.ingest import ImportRejected

    try:
        outcome = imported_files.import_files([file], kind=kind, db_path=db)
        result = {"refused": False, "message": " ".join(outcome.reports[0].split())[:90]}
    except ImportRejected as error:
        result = {"refused": True, "message": " ".join(str(error).split())[:90]}
    # this process's own peak (VmHWM starts at exec; ru_maxrss would count the forking parent's pages)
    status = Path("/proc/self/status").read_text()
    result["peak_mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps(result, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.refusals", description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=3, metavar=("FICHIER", "TYPE", "BASE"), help=argparse.SUPPRESS)
    parser.add_argument("--cas", default="", metavar="MOT", help="seulement les cas dont le nom contient ce mot")
    args = parser.parse_args()
    if args.one:
        _one(Path(args.one[0]), args.one[1], Path(args.one[2]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print(f"{'cas':<52} {'refusé':>6} {'durée':>8} {'mémoire':>9}  message")
        for name, (make, kind, refused) in CASES.items():
            if args.cas not in name:
                continue
            db = folder / name.replace(" ", "_").replace(",", "") / "observatory.duckdb"
            builder.build(db)
            file = folder / f"cas{SUFFIX[kind]}"
            make(file)
            start = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-m", "devtools.refusals", "--one", str(file), kind, str(db)],
                                     cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            out, err = child.communicate()
            seconds = time.perf_counter() - start
            result = json.loads(out.strip().splitlines()[-1]) if out.strip() else \
                {"refused": None, "message": err[-90:], "peak_mb": float("nan")}
            peak_mb = result["peak_mb"]
            flag = " (inattendu)" if result["refused"] != refused else ""
            print(f"{name:<52} {'oui' if result['refused'] else 'non':>6} {seconds:>7.1f}s {peak_mb:>6.0f} Mo  "
                  f"{result['message']}{flag}")
            file.unlink()
    print(f"Cible d'un refus : moins de {TARGET_S} s et de {TARGET_MB} Mo.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
