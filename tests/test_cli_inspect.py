"""`callreview inspect`: the table, the header per call, --json, warnings and errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import call_from_json

DATA = Path(__file__).parent / "data" / "formats"


def run(*args, columns=100):
    result = CliRunner().invoke(cli, ["inspect", *map(str, args)], env={"COLUMNS": str(columns)})
    return result


def test_table_shows_header_and_passages_with_time_speaker_and_guessed_role():
    result = run(DATA / "otter_export.txt")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "== otter-export" in out
    assert "kind: transcript" in out and "passages: 6" in out and "outcome: unknown" in out
    assert "Fernando Ruiz (seller?)" in out and "Claire Dubois (buyer?)" in out
    lines = out.splitlines()
    row = next(line for line in lines if "Exhausting" in line)
    assert row.split()[:5] == ["1", "0:07", "Claire", "Dubois", "buyer?"]
    assert any(line.split()[:2] == ["5", "1:02:15"] for line in lines)


def test_roles_given_by_the_user_are_not_marked_with_a_question_mark():
    out = run(DATA / "zoom_demo.vtt", "--seller", "Marisol Vega").stdout
    assert "Marisol Vega (seller)" in out and "?" not in out.split("speakers:")[1].splitlines()[0]


def test_text_is_wrapped_to_the_terminal_width():
    result = run(DATA / "teams_discovery.vtt", columns=60)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 12 and all(len(line) <= 60 for line in lines), [x for x in lines if len(x) > 60]
    assert "doesn't." in result.stdout  # nothing cut off by the wrapping


def test_json_prints_corpus_v1_lines_that_read_back():
    result = run(DATA / "passages.csv", DATA / "cold_call.srt", "--json")
    assert result.exit_code == 0
    calls = [call_from_json(json.loads(line)) for line in result.stdout.splitlines()]
    assert [c.call_id for c in calls] == ["bay-101", "bay-102", "cold-call"]
    assert calls[2].passages[0].speaker == "Nadia Haddad"


def test_warnings_go_to_stderr_with_file_and_line():
    result = run(DATA / "gaps.vtt")
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "gaps.vtt:6:" in result.stderr
    assert "warning" not in result.stdout


def test_csv_column_options_map_columns():
    result = run(DATA / "tiendas.csv", "--text-column", "Said", "--speaker-column", "Who",
                 "--call-column", "Meeting", "--start-column", "Secs")
    assert result.exit_code == 0, result.output
    assert "== m-7" in result.stdout and "Ana de la Cruz" in result.stdout and "0:06" in result.stdout


def test_csv_column_options_without_text_column_still_find_the_text_column():
    result = run(DATA / "passages.csv", "--role-column", "role", "--json")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_format_option_forces_a_reader():
    result = run(DATA / "prose.txt", "--format", "notes")
    assert result.exit_code == 0 and "kind: notes" in result.stdout


@pytest.mark.parametrize("name, extra", [
    ("empty.txt", []),
    ("prose.txt", []),
    ("broken_timing.vtt", []),
    ("broken_timing.srt", []),
    ("no_text_column.csv", []),
    ("does_not_exist.vtt", []),
    ("tiendas.csv", ["--text-column", "Nope"]),
])
def test_bad_input_is_one_error_line_with_the_file_name_and_exit_status_2(name, extra):
    result = run(DATA / name, *extra)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and name in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_binary_file_and_directory_are_errors(tmp_path):
    binary = tmp_path / "audio.vtt"
    binary.write_bytes(b"\x00\x01\x02RIFF" * 50)
    for target in (binary, tmp_path):
        result = run(target)
        assert result.exit_code == 2 and result.stderr.startswith("error: ") and str(target) in result.stderr


def test_inspect_runs_as_a_program_without_loading_sklearn_or_textual():
    code = (
        "import sys; from callreview.cli import main; "
        f"rc = main(['inspect', {str(DATA / 'teams_discovery.vtt')!r}]); "
        "print('LOADED', sorted(m for m in ('sklearn', 'textual', 'spacy') if m in sys.modules)); sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout
    assert "Ortiz, Dana (Contoso)" in proc.stdout


def test_bad_input_from_the_real_program_has_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "callreview.cli", "inspect", str(DATA / "broken_timing.vtt")],
                          capture_output=True, text=True)
    if "No module named callreview.cli.__main__" in proc.stderr:
        code = f"from callreview.cli import main; raise SystemExit(main(['inspect', {str(DATA / 'broken_timing.vtt')!r}]))"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "broken_timing.vtt:8:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_seller_option_is_repeatable():
    out = run(DATA / "zoom_demo.vtt", "--seller", "marisol vega", "--seller", "Kowalczyk, Tom").stdout
    assert "Marisol Vega (seller), Tom Kowalczyk (seller), Aisha Bello (buyer)" in out


def test_notes_show_roles_per_line_and_the_header_metadata():
    out = run(DATA / "acme_notes.md").stdout
    assert "== Acme Logistics - discovery call notes" in out
    assert "kind: notes" in out and "outcome: advance" in out and "seller: Dana Ortiz" in out
    row = next(line for line in out.splitlines() if "Customer worried" in line)
    assert row.split()[:2] == ["2", "buyer?"]
