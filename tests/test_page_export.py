"""Export page and the secrecy threshold setting, with AppTest."""
from observatory.vocabulary import formats


def test_export_page_counts_and_previews_the_filtered_rows(open_page, con):
    at = open_page("pages/export.py", demo="1", metiers="aide-soignant,infirmier", annees="2020-2022")
    expected = con.execute("""SELECT COUNT(*) FROM canton_measures WHERE year BETWEEN 2020 AND 2022
        AND profession_code IN ('aide-soignant', 'infirmier')""").fetchone()[0]
    assert at.metric[0].value == formats.number(expected)
    preview = at.dataframe[0].value
    assert len(preview) == min(50, expected)
    assert set(preview["Métier"]) <= {"Aide-soignant", "Infirmier"}
    assert any("observatoire_landes_2-metiers_2020-2022_" in c.value for c in at.caption)
    notes = at.table[0].value
    assert notes.loc["Années", "Contenu"] == "2020-2022"


def test_format_choice_changes_the_file_name(open_page):
    at = open_page("pages/export.py", metiers="tisf")
    at.radio(key="export_format").set_value("xlsx").run()
    assert any(c.value.endswith(".xlsx") and "_tisf_2018-2025_" in c.value for c in at.caption)


def test_a_higher_threshold_masks_more_cells_everywhere(open_page):
    def secrets(at):
        return int((at.dataframe[0].value == "s").to_numpy().sum())

    low = open_page("pages/export.py", demo="1", metiers="medecin-pmi,psychomotricien,ergotherapeute", secret="3")
    high = open_page("pages/export.py", demo="1", metiers="medecin-pmi,psychomotricien,ergotherapeute", secret="11")
    assert secrets(high) > secrets(low)
    assert high.selectbox(key="f_secret").value == 11
    assert "inférieurs à 11" in high.table[0].value.loc["Secret statistique", "Contenu"]
