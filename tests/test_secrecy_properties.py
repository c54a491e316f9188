"""Property tests of statistical secrecy over random cubes: nothing masked shows, nothing masked
can be recomputed from the totals that are published beside it."""
import io
import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory import secrecy
from observatory.present import export
from observatory.vocabulary.indicators import MEASURES
from tests.secrecy_oracle import aggregate, keep_raw

PEOPLE = [m for m in MEASURES if MEASURES[m].people_count]


@st.composite
def cubes(draw):
    n_areas, n_professions = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    years = draw(st.integers(1, 2))
    cells = list(itertools.product(range(2020, 2020 + years), [f"a{i}" for i in range(n_areas)],
                                   [f"p{j}" for j in range(n_professions)]))
    small = st.one_of(st.integers(0, 12), st.integers(0, 200))
    data = {m: draw(st.lists(small, min_size=len(cells), max_size=len(cells))) for m in MEASURES}
    frame = pd.DataFrame(cells, columns=["year", "canton_code", "profession_code"]).assign(**data)
    frame = frame.astype({m: "float64" for m in MEASURES})
    frame["is_demo"] = True
    return frame, draw(st.sampled_from(secrecy.THRESHOLDS))


@settings(max_examples=150, deadline=None)
@given(cubes())
def test_masked_cells_never_show_and_totals_add_only_published_cells(case):
    original, threshold = case
    cube = secrecy.mask(keep_raw(original), secrecy.CUBE_GROUPINGS, threshold)
    for measure in PEOPLE:
        values, flags = original[measure], cube[secrecy.secret_column(measure)]
        assert flags[values.gt(0) & values.lt(threshold)].all()  # primary
        assert cube.loc[flags, measure].isna().all()  # a masked value never leaves as a number
    for keys in secrecy.CUBE_GROUPINGS + [["year"]]:
        totals = aggregate(cube, keys, threshold).set_index(keys)
        for measure in PEOPLE:
            flags = cube[secrecy.secret_column(measure)]
            for key, index in original.groupby(keys).groups.items():
                shown = original.loc[index, measure][~flags.loc[index]]
                row = totals.loc[key]
                if row[secrecy.secret_column(measure)]:  # masked cells, and nothing but zeros published
                    assert shown.sum() == 0 and flags.loc[index].any()
                    continue
                # a total is the sum of the cells anyone can read: it adds nothing masked
                assert row[measure] == shown.sum()
                assert bool(row[secrecy.partial_column(measure)]) == bool(flags.loc[index].any())


@settings(max_examples=60, deadline=None)
@given(cubes())
def test_exported_files_show_s_for_every_masked_cell_and_the_truth_elsewhere(case):
    original, threshold = case
    cube = secrecy.with_indicators(secrecy.mask(keep_raw(original), secrecy.CUBE_GROUPINGS, threshold))
    rows = cube.assign(area_name=cube["canton_code"], area_kind="canton", profession=cube["profession_code"],
                       family="f")
    table = export.from_rows(rows, [("Note", "essai")])
    for fmt in ("csv", "csv-fr"):
        data = export.render(table, fmt).decode("utf-8-sig")
        frame = pd.read_csv(io.StringIO(data), sep=";" if fmt == "csv-fr" else ",", dtype=str, keep_default_na=False)
        assert len(frame) == len(cube)
        for measure in PEOPLE:
            shown = frame[MEASURES[measure].label]
            flags = cube[secrecy.secret_column(measure)].to_numpy()
            assert (shown[flags] == "s").all()
            assert (shown[~flags].astype(float).to_numpy() == original[measure].to_numpy()[~flags]).all()
