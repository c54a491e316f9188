"""The house stays walkable: imports point one way, no cycles, small modules, one place for
secrecy's column names, Streamlit only in `observatory/ui/`, tools outside the package."""
from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from observatory import paths
from tests.conftest import every_cell_filters

PACKAGE = paths.ROOT / "observatory"
MAX_LINES = 400


def _module_name(path) -> str:
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str) -> set[str]:
    """Modules of the package that `name` imports (at any depth of its code, lazy ones included)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_import_graph_is_read_correctly():
    # The checks below mean something only if the graph sees real edges.
    assert "observatory.builder.replay" in GRAPH["observatory.builder.fill"]
    assert "observatory.secrecy.cube" in GRAPH["observatory.figures.queries"]


def test_no_import_cycle_inside_the_package():
    cycles = sorted(name for name in MODULES if name in _reachable(name))
    assert not cycles, f"modules on an import cycle: {cycles}"


# The rooms of `observatory/`, bottom floor first: a module imports its own room or a lower floor,
# never a room beside it or above it. `cli` and `__main__` are the entry points, above every floor.
FLOORS = (
    ("observatory.vocabulary", "observatory.paths", "observatory.files"),
    ("observatory.ingest", "observatory.secrecy", "observatory.database"),
    ("observatory.figures",),
    ("observatory.present", "observatory.builder"),
    ("observatory.fetching",),
    ("observatory.ui", "observatory.serving"),
)
ENTRY_POINTS = {"observatory", "observatory.__main__", "observatory.cli"}


def _room(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _floor(room: str) -> int | None:
    return next((i for i, rooms in enumerate(FLOORS) if room in rooms), None)


def _upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(importer, imported) pairs that leave the importer's room for a room that is not below it."""
    wrong = []
    for name, targets in graph.items():
        if name in ENTRY_POINTS:
            continue
        for target in targets:
            here, there = _room(name), _room(target)
            if here != there and not _floor(there) < _floor(here):
                wrong.append((name, target))
    return sorted(wrong)


def test_every_module_lives_in_a_named_room():
    loose = sorted(name for name in MODULES if name not in ENTRY_POINTS and _floor(_room(name)) is None)
    assert not loose, f"modules outside the rooms of FLOORS: {loose}"


def test_imports_point_down_the_floors():
    assert _upward_imports(GRAPH) == []


def test_an_upward_import_would_be_seen():
    # The check above can fail: an import from figures up to present, or across to a room of the
    # same floor, is reported.
    graph = dict(GRAPH)
    graph["observatory.figures.queries"] = GRAPH["observatory.figures.queries"] | {"observatory.present.tables"}
    graph["observatory.builder.fill"] = GRAPH["observatory.builder.fill"] | {"observatory.present.export"}
    assert _upward_imports(graph) == [("observatory.builder.fill", "observatory.present.export"),
                                      ("observatory.figures.queries", "observatory.present.tables")]


def test_reading_never_imports_building():
    for reader in ("observatory.figures.queries", "observatory.present.export", "observatory.present.deck", "observatory.database",
                   "observatory.secrecy", "observatory.ingest"):
        reached = _reachable(reader) | {reader}
        assert not {m for m in reached if m.startswith("observatory.builder")}, reader
        assert not {m for m in reached if m.startswith("observatory.ui")}, reader
        assert "observatory.builder.imported_files" not in reached, reader


def test_no_module_is_too_long():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def _product_files():
    yield from PACKAGE.rglob("*.py")
    yield from PACKAGE.rglob("*.sql")
    yield from (paths.ROOT / "pages").glob("*.py")
    yield paths.ROOT / "app.py"


def test_no_query_is_called_by_a_string_name():
    # a call like ui.query("area_table", ...) or query("..."); pandas' frame.query("x > 0") is not one
    pattern = re.compile(r"""(?<![\w.])query\(\s*["']|\bui\.query\(|getattr\(\s*queries\b""")
    offenders = [str(p.relative_to(paths.ROOT)) for p in _product_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders


def test_only_the_secrecy_package_spells_its_column_suffixes():
    secrecy_dir = PACKAGE / "secrecy"
    offenders = [str(p.relative_to(paths.ROOT)) for p in _product_files()
                 if secrecy_dir not in p.parents and re.search(r"__(secret|raw)\b", p.read_text(encoding="utf-8"))]
    assert not offenders


def test_streamlit_lives_in_the_ui_package_and_its_testing_tools_outside_the_package():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in imported if m.startswith("streamlit.testing")}, name
        if not name.startswith("observatory.ui"):
            assert not {m for m in imported if m == "streamlit" or m.startswith("streamlit.")}, name


# ---------------------------------------------------------------- what leaves the read layer

ARGUMENTS = {"year": 2025, "area": "4005", "profession": "aide-soignant", "territory": "", "code": "4005",
             "year_from": 2018, "year_to": 2025, "professions": ("aide-soignant",), "n": 5}


def _query_functions():
    from observatory.figures import queries

    for name, function in inspect.getmembers(queries, inspect.isfunction):
        if function.__module__ == queries.__name__ and not name.startswith("_"):
            params = list(inspect.signature(function).parameters)
            if params and params[0] == "con":
                yield name, function, params[1:]


@pytest.mark.parametrize("threshold", [5, 11])
def test_no_query_returns_a_true_value_of_a_masked_cell(con, threshold):
    """No column of any query result carries an unmasked value (`<measure>__raw`), and where a
    measure is flagged masked its value is missing."""
    from observatory import secrecy
    from observatory.figures import queries

    filters = every_cell_filters(2018, 2025, professions=("aide-soignant", "medecin-pmi"), threshold=threshold)
    called = 0
    for name, function, params in _query_functions():
        if name in {"run", "fixed"}:
            continue
        args = [filters if p == "filters" else ARGUMENTS[p] for p in params
                if p == "filters" or p in ARGUMENTS]
        if len(args) < len([p for p in params if inspect.signature(function).parameters[p].default is inspect._empty]):
            pytest.fail(f"no argument for a parameter of queries.{name}{params}")
        result = function(con, *args)
        frames = result.values() if isinstance(result, dict) else result if isinstance(result, tuple) else [result]
        for frame in frames:
            if not isinstance(frame, pd.DataFrame):
                continue
            called += 1
            assert not [c for c in frame.columns if str(c).endswith("__raw")], name
            for column in [c for c in frame.columns if str(c).endswith(secrecy.SECRET_SUFFIX)]:
                measure = column[: -len(secrecy.SECRET_SUFFIX)]
                if measure in frame.columns:
                    assert frame.loc[frame[column].fillna(False).astype(bool), measure].isna().all(), (name, measure)
    assert called >= 15


def test_missing_shared_data_fails_under_ci_and_names_the_path(tmp_path, monkeypatch):
    """The raw-data checks never skip silently under CI: a missing original fails, naming where it
    was looked for; on a contributor's machine without the data it is a skip with the same words."""
    from tests import conftest

    monkeypatch.setattr(paths, "SHARED_DIR", tmp_path / "absent")
    monkeypatch.setenv(conftest.REQUIRE_DATA, "true")
    with pytest.raises(pytest.fail.Exception, match=str(tmp_path / "absent" / "samples" / "x.csv")):
        conftest.sample("x.csv")
    monkeypatch.delenv(conftest.REQUIRE_DATA)
    with pytest.raises(pytest.skip.Exception, match="OBSERVATORY_SHARED"):
        conftest.shared_file("real/y.csv")
    (tmp_path / "absent" / "real").mkdir(parents=True)
    (tmp_path / "absent" / "real" / "y.csv").write_text("a\n")
    assert conftest.shared_file("real/y.csv") == tmp_path / "absent" / "real" / "y.csv"


def test_the_shared_folder_can_be_pointed_elsewhere(tmp_path):
    found = subprocess.run([sys.executable, "-c", "from observatory import paths; print(paths.SHARED_DIR)"],
                           cwd=paths.ROOT, capture_output=True, text=True, check=True,
                           env={**os.environ, paths.SHARED_ENV: str(tmp_path)}).stdout.strip()
    assert found == str(tmp_path)
