"""CSV tables of passages with a column mapping."""

from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import CsvColumns, load_calls

DATA = Path(__file__).parent / "data" / "formats"


def test_common_header_names_are_found_and_rows_grouped_into_calls():
    warnings = []
    calls = load_calls(DATA / "passages.csv", warn=warnings.append)
    assert [c.call_id for c in calls] == ["bay-101", "bay-102"]
    bay = calls[0]
    assert [p.speaker for p in bay.passages] == ["Lena Ford", "Omar Said", "Lena Ford", "Omar Said"]
    assert bay.passages[3].text == 'Spreadsheets, mostly; the drivers "forget" receipts.'
    assert [p.behavior for p in bay.passages] == ["rapport", "buyer_info", "situation_question", "buyer_need"]
    assert bay.outcome == "advance" and calls[1].outcome == "continuation"


def test_times_may_be_seconds_or_clock_times():
    calls = load_calls(DATA / "passages.csv")
    assert [(p.start, p.end) for p in calls[0].passages[:2]] == [(1.0, 4.5), (4.8, 6.0)]
    assert calls[1].passages[0].start == 5.0


def test_role_synonyms_are_mapped_and_not_marked_inferred():
    calls = load_calls(DATA / "passages.csv")
    assert [p.role for p in calls[0].passages] == ["seller", "buyer", "seller", "buyer"]
    assert not calls[0].roles_inferred


def test_empty_text_rows_and_bad_times_are_warned_with_file_and_line():
    warnings = []
    load_calls(DATA / "passages.csv", warn=warnings.append)
    assert any("passages.csv:5:" in w and "no text" in w for w in warnings)
    assert any("passages.csv:8:" in w and "'soon'" in w for w in warnings)


def test_column_mapping_reads_unusual_headers_and_semicolons():
    cols = CsvColumns(text="Said", speaker="Who", call="Meeting", start="Secs")
    call, = load_calls(DATA / "tiendas.csv", columns=cols)
    assert call.call_id == "m-7"
    assert [(p.speaker, p.start, p.text) for p in call.passages] == [
        ("Ana de la Cruz", 0.0, "Buenos días, ¿me oyen bien?"),
        ("Pedro Gil", 3.5, "Sí, perfecto."),
        ("Ana de la Cruz", 6.0, "¿Cuántas tiendas tienen hoy?")]


def test_missing_text_column_is_an_error_listing_the_columns():
    with pytest.raises(InputError) as err:
        load_calls(DATA / "no_text_column.csv")
    assert err.value.line == 1
    assert "--text-column" in err.value.hint and "'speaker'" in err.value.hint


def test_named_column_that_does_not_exist_is_an_error():
    with pytest.raises(InputError) as err:
        load_calls(DATA / "tiendas.csv", columns=CsvColumns(text="Transcript"))
    assert "'Transcript'" in err.value.message and "'Said'" in err.value.hint


def test_csv_without_call_column_is_one_call_named_after_the_file(tmp_path):
    f = tmp_path / "Acme Call 3.tsv"
    f.write_text("speaker\ttext\nDana\tHello there.\nSam\tHi.\n")
    call, = load_calls(f)
    assert call.call_id == "acme-call-3"
    assert [p.text for p in call.passages] == ["Hello there.", "Hi."]


def test_unknown_role_values_are_warned_once_each_and_roles_inferred(tmp_path):
    f = tmp_path / "dialog.csv"
    f.write_text("dialog_id,speaker,role,text\nd1,Ann,0,Hello?\nd1,Bo,1,Hi.\nd1,Ann,0,How are you?\n")
    warnings = []
    call, = load_calls(f, warn=warnings.append)
    assert len([w for w in warnings if "unknown role" in w]) == 2
    assert call.call_id == "d1" and call.roles == {"Ann": "seller", "Bo": "buyer"} and call.roles_inferred
