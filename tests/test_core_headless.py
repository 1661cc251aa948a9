"""The core is headless by rule: importing any callreview module outside ``callreview.tui``
(the command line included) never loads Textual. Each check runs in a fresh interpreter,
so a module imported earlier by another test cannot hide an import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SCRIPT = r"""
import importlib, json, pkgutil, sys
import callreview

def walk(path, prefix):
    # pkgutil.walk_packages would import callreview.tui to look inside it: list files instead
    for m in pkgutil.iter_modules(path, prefix):
        if m.name == "callreview.tui" or m.name.endswith("__main__"):  # running the CLI is not importing it
            continue
        yield m.name
        if m.ispkg:
            yield from walk([f"{path[0]}/{m.name.rsplit('.', 1)[1]}"], m.name + ".")

names = sorted(walk(list(callreview.__path__), "callreview."))
loaded, failed = [], {}
for name in names:
    try:
        importlib.import_module(name)
        loaded.append(name)
    except Exception as exc:  # reported, so a broken module is not taken for a headless one
        failed[name] = f"{type(exc).__name__}: {exc}"
print("RESULT " + json.dumps({"modules": loaded, "failed": failed,
                  "textual": sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))}))
"""


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    (line,) = [ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")]
    return json.loads(line[len("RESULT "):])


def test_no_core_module_imports_textual():
    result = run(SCRIPT)
    assert not result["failed"], result["failed"]
    modules = set(result["modules"])
    for core in ("callreview.records", "callreview.store", "callreview.review", "callreview.metrics",
                 "callreview.insights", "callreview.classify", "callreview.artifacts", "callreview.train",
                 "callreview.evaluate", "callreview.formats", "callreview.taxonomy", "callreview.session",
                 "callreview.cli", "callreview.cli.review", "callreview.formats.vtt"):
        assert core in modules
    assert result["textual"] == [], f"Textual was loaded by a core module: {result['textual'][:5]}"


@pytest.mark.parametrize("module", ["callreview.session", "callreview.cli"])
def test_each_entry_point_alone_stays_headless(module):
    result = run(f"import json, sys, {module}; print('RESULT ' + json.dumps({{'textual': 'textual' in sys.modules}}))")
    assert result == {"textual": False}


def test_the_check_would_see_textual_if_it_were_imported():
    result = run("import json, sys, callreview.tui; print('RESULT ' + json.dumps({'textual': 'textual' in sys.modules}))")
    assert result == {"textual": True}
