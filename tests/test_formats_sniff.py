"""Choosing the format by content, decoding every encoding a Windows export may use,
what every call records about its source, and bad input named by file and line."""

import hashlib
import unicodedata
from pathlib import Path

import pytest

from callreview.errors import InputError
from callreview.formats import FORMATS, load_calls, sniff

DATA = Path(__file__).parent / "data" / "formats"


def test_formats_constant_is_the_public_list():
    assert FORMATS == ("vtt", "srt", "plain", "otter", "notes", "docx", "jsonl", "csv")


@pytest.mark.parametrize("name, fmt", [
    ("teams_discovery.vtt", "vtt"), ("zoom_demo.vtt", "vtt"), ("lecture_captions.vtt", "vtt"),
    ("cold_call.srt", "srt"), ("plain_timed.txt", "plain"), ("plain_headed.txt", "plain"),
    ("otter_export.txt", "otter"), ("acme_notes.md", "notes"), ("followup-notes.txt", "notes"),
    ("corpus_two_calls.jsonl", "jsonl"), ("passages.csv", "csv"), ("tiendas.csv", "csv"),
])
def test_sniff_recognises_each_format(name, fmt):
    assert sniff(DATA / name) == fmt


@pytest.mark.parametrize("name, fmt", [
    ("cold_call.srt", "srt"), ("zoom_demo.vtt", "vtt"), ("otter_export.txt", "otter"),
    ("corpus_two_calls.jsonl", "jsonl"), ("passages.csv", "csv"),
])
def test_sniff_goes_by_content_not_by_extension(tmp_path, name, fmt):
    f = tmp_path / "download.txt"
    f.write_bytes((DATA / name).read_bytes())
    assert sniff(f) == fmt


TEXT = "Zoë Brandt: Café at ten, señor – “quoted”\nMarc Lévy: Très bien.\nZoë Brandt: Parfait.\nMarc Lévy: À bientôt.\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("cp1252", b""),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_windows_export_encoding_reads_the_same_text(tmp_path, encoding, bom, newline):
    f = tmp_path / "call.txt"
    f.write_bytes(bom + TEXT.replace("\n", newline).encode(encoding))
    call, = load_calls(f)
    assert [(p.speaker, p.text) for p in call.passages] == [
        ("Zoë Brandt", "Café at ten, señor – “quoted”"), ("Marc Lévy", "Très bien."),
        ("Zoë Brandt", "Parfait."), ("Marc Lévy", "À bientôt.")]


def test_cp1252_fallback_is_warned_about(tmp_path):
    f = tmp_path / "call.txt"
    f.write_bytes(TEXT.encode("cp1252"))
    warnings = []
    load_calls(f, warn=warnings.append)
    assert any("cp1252" in w for w in warnings)


def test_utf16_vtt_from_windows_reads(tmp_path):
    f = tmp_path / "teams.vtt"
    f.write_bytes(b"\xff\xfe" + (DATA / "teams_discovery.vtt").read_text().replace("\n", "\r\n").encode("utf-16-le"))
    assert sniff(f) == "vtt"
    assert len(load_calls(f)[0].passages) == 7


def test_text_is_nfc_normalised(tmp_path):
    f = tmp_path / "nfd.txt"
    f.write_text(unicodedata.normalize("NFD", TEXT), encoding="utf-8")
    call, = load_calls(f)
    assert call.passages[0].speaker == "Zoë Brandt"
    assert all(unicodedata.is_normalized("NFC", p.text) for p in call.passages)


def test_single_call_files_record_source_slug_id_and_content_hash(tmp_path):
    f = tmp_path / "Northwind Discovery (Oct 14).vtt"
    f.write_bytes((DATA / "zoom_demo.vtt").read_bytes())
    call, = load_calls(f)
    assert call.source == str(f)
    assert call.call_id == "northwind-discovery-oct-14"
    assert call.extra["content_sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()


def _expect_error(path, *, line=None, **kw):
    with pytest.raises(InputError) as err:
        load_calls(path, **kw)
    assert err.value.path == str(path)
    assert err.value.hint
    if line is not None:
        assert err.value.line == line
    return err.value


def test_empty_file_is_an_error():
    assert "empty" in _expect_error(DATA / "empty.txt").message


def test_whitespace_only_file_is_an_error(tmp_path):
    f = tmp_path / "blank.vtt"
    f.write_text("\n\n   \n")
    assert "empty" in _expect_error(f).message


def test_binary_file_is_an_error(tmp_path):
    f = tmp_path / "recording.vtt"
    f.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 8)
    assert "binary" in _expect_error(f).message


def test_file_matching_no_format_is_an_error_with_the_format_hint():
    err = _expect_error(DATA / "prose.txt", line=1)
    assert "--format" in err.hint


def test_missing_file_is_an_error(tmp_path):
    _expect_error(tmp_path / "nope.vtt")


def test_directory_is_an_error(tmp_path):
    assert "folder" in _expect_error(tmp_path).message


def test_unreadable_path_is_an_error(tmp_path):
    not_a_folder = tmp_path / "call.txt"
    not_a_folder.write_text("x")
    err = _expect_error(not_a_folder / "call.vtt")  # a path through a file cannot be opened
    assert "cannot read" in err.message or "no such file" in err.message


def test_unknown_format_name_is_refused():
    from callreview.errors import CallreviewError

    with pytest.raises(CallreviewError):
        load_calls(DATA / "zoom_demo.vtt", format="pdf")
