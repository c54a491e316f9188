"""The piecewise JSON reader gives what `json.loads` gives, whatever the chunk size, and refuses in
French at the same line and column."""
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.ingest import ImportRejected, json_stream

OFFER = st.fixed_dictionaries({
    "id": st.text(min_size=1, max_size=12),
    "romeCode": st.one_of(st.none(), st.text(max_size=6)),
    "salaire": st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False)),
    "lieuTravail": st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=30), st.booleans(), st.none()),
                                   max_size=3),
})


def _items(text: str, key: str = "resultats", chunk: int = 7) -> list:
    stream = io.BytesIO(text.encode("utf-8"))
    original = json_stream.CHUNK
    json_stream.CHUNK = chunk
    try:
        return list(json_stream.items(stream, "f.json", key, "une liste d'offres"))
    finally:
        json_stream.CHUNK = original


@settings(max_examples=150, deadline=None)
@given(offers=st.lists(OFFER, max_size=8), before=st.dictionaries(st.text(max_size=5).filter(lambda k: k != "resultats"),
                                                                  st.lists(st.integers(), max_size=3), max_size=2),
       indent=st.sampled_from([None, 1, 4]), chunk=st.integers(1, 40))
def test_same_elements_as_json_loads_whatever_the_chunk_size(offers, before, indent, chunk):
    document = {**before, "resultats": offers, "filtresPossibles": [{"agregation": [1, 2]}]}
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    assert _items(text, chunk=chunk) == json.loads(text)["resultats"]
    assert _items(json.dumps(offers, indent=indent, ensure_ascii=False), chunk=chunk) == offers  # a bare list


@pytest.mark.parametrize("text", [
    '{"resultats": [{"id": "1"}, {"id": "2"}',  # truncated
    '{"resultats": [{"id": "1"} {"id": "2"}]}',  # a missing comma
    '{"resultats": [{"id": "1"}, {"id": 2x}]}',
    '{"resultats": [\n  {"id": "1"},\n  {"id": "2",\n   "romeCode": J1501}\n]}',
    '{"resultats": [{"id": "1"}]} trailing',
    '{"resultats": [{"id": "1"}], "autre": tru}',
])
def test_errors_give_the_line_and_column_json_loads_gives(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(ImportRejected) as refused:
        _items(text, chunk=5)
    message = str(refused.value)
    assert message.startswith("f.json : JSON invalide") and "Expecting" not in message
    assert f"(ligne {expected.value.lineno}, colonne {expected.value.colno})" in message, (message, expected.value)


def test_a_document_without_the_list_is_refused():
    with pytest.raises(ImportRejected, match="pas de liste « resultats » dans l'objet principal \\(attendu une liste d'offres\\)"):
        _items('{"autre": [1, 2]}')


def test_deep_nesting_is_refused_without_a_recursion_error():
    with pytest.raises(ImportRejected, match="imbrication trop profonde"):
        _items('{"resultats": ' + "[" * 100_000 + "]" * 100_000 + "}", chunk=1 << 16)


def test_an_element_larger_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(json_stream, "MAX_VALUE", 100)
    with pytest.raises(ImportRejected, match="valeur trop grosse"):
        _items('{"resultats": [{"id": "' + "x" * 500 + '"}]}', chunk=16)


@pytest.mark.parametrize("element, said", [
    ('{"id" "1"}', "« : » attendu après un nom"),
    ("{id: 1}", "nom entre guillemets attendu"),
    ('{"id": "1" "romeCode": 2}', "virgule attendue"),
    ('{"id": "1\x01"}', "caractère de contrôle dans un texte"),
    ('{"id": "\\q"}', "échappement « \\ » invalide"),
    ('{"id": "\\u12"}', "échappement « \\u » invalide"),
    ('{"id": }', "valeur attendue"),
])
def test_the_parsers_complaint_is_said_in_french(element, said):
    text = '{"resultats": [{"id": "0"}, ' + element + "]}"
    with pytest.raises(ImportRejected) as refused:
        _items(text, chunk=1 << 16)
    assert f"JSON invalide : {said} (ligne 1, colonne" in str(refused.value), str(refused.value)


def test_a_file_cut_short_says_so():
    with pytest.raises(ImportRejected, match=r"texte entre guillemets jamais fermé \(fichier tronqué \?\) \(ligne 1, colonne 36\)"):
        _items('{"resultats": [{"id": "0"}, {"id": "1', chunk=4)
    with pytest.raises(ImportRejected, match=r"fin du fichier atteinte trop tôt \(ligne 2, colonne 1\)"):
        _items('{"resultats": [{"id": "0"}, {"id": "1"}\n', chunk=4)
