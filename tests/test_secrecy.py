import pandas as pd

from observatory import secrecy
from observatory.vocabulary.indicators import MEASURES
from tests.secrecy_oracle import publish, sum_parts
from tests.conftest import every_cell_filters


def _frame(graduates):
    data = {m: [10.0] * len(graduates) for m in MEASURES}
    data["graduates"] = graduates
    return pd.DataFrame({"group": 0, **data})


def test_small_counts_are_masked_and_a_lone_secret_gets_a_companion():
    masked = secrecy.mask(_frame([3.0, 40.0, 7.0, 0.0]), group_by=["group"])
    # 3 is primary; alone it could be recomputed from the total, so the smallest other non-zero (7) goes too.
    assert masked["graduates__secret"].tolist() == [True, False, True, False]
    assert masked["graduates"].isna().tolist() == [True, False, True, False]
    assert masked.loc[3, "graduates"] == 0  # zero is not secret


def test_offers_are_not_people_and_stay_visible():
    frame = _frame([20.0, 20.0])
    frame["offers_published"] = [2.0, 1.0]
    masked = secrecy.mask(frame, group_by=["group"])
    assert masked["offers_published"].tolist() == [2.0, 1.0]


def test_an_indicator_built_on_a_masked_count_is_masked():
    out = secrecy.with_indicators(secrecy.mask(_frame([2.0, 50.0, 60.0]), group_by=["group"]))
    assert out["offers_per_100_graduates__secret"].tolist() == [True, True, False]
    assert out["offers_per_100_graduates"].isna().tolist() == [True, True, False]


def test_threshold_is_a_parameter():
    masked = secrecy.mask(_frame([4.0, 9.0, 30.0]), group_by=None, threshold=11)
    assert masked["graduates__secret"].tolist() == [True, True, False]


def test_duckdb_sums_equal_the_pandas_sums_of_the_same_masked_cells(con):
    """Pages sum the masked cells in SQL (`secrecy.cube.sums_sql`); `secrecy_oracle.sum_parts` is
    the reference written in pandas, on the cells read straight from the stored table, and
    `secrecy_oracle.publish` the rule written again. Both must give the same published table."""
    from observatory.figures import queries

    filters = every_cell_filters(2019, 2025, professions=("medecin-pmi", "aide-domicile", "psychomotricien"), threshold=11)
    cells = con.execute("""SELECT c.*, a.name AS area_name, a.kind AS area_kind FROM masked_cells AS c
        JOIN canton AS a ON a.code = c.canton_code
        WHERE threshold = 11 AND year BETWEEN 2019 AND 2025
          AND (profession_code IN ('medecin-pmi', 'aide-domicile', 'psychomotricien')
               OR profession_code IN (SELECT 'BMO-' || UNNEST(fap_codes) FROM profession  -- their métiers BMO
                                      WHERE code IN ('medecin-pmi', 'aide-domicile', 'psychomotricien')))""").df()
    cells = cells.rename(columns={m: f"{m}__raw" for m in secrecy.NAMES})
    keys = ["year", "canton_code", "area_name", "area_kind"]
    expected = publish(sum_parts(cells, keys), 11)
    shown = queries._published(con, filters, keys, 2019, 2025)
    assert expected[secrecy.NAMES].notna().any().any() and expected.filter(like="__partial").any().any()
    pd.testing.assert_frame_equal(expected.reset_index(drop=True), shown[expected.columns].reset_index(drop=True),
                                  check_dtype=False)
