"""docs/security.md names, for every promise of SECURITY.md, the tests that keep it: every test it
names exists (a renamed or deleted test fails here), and no promise is left pending."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "security.md").read_text()
# `tests/x/test_y.py::test_z` or `tests/x/test_y.py::test_z[param]`, and `::test_w` continuing the
# file named last in the same cell.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+)(?:\[[^\]]*\])?)?`")


def _references():
    found = []
    for line in DOC.splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            path, name = match.groups()
            if path:
                current = path
            if current and (path or name):
                found.append((current, name))
    return found


def test_every_test_the_document_names_exists():
    references = _references()
    assert len(references) > 100
    missing = []
    for path, name in references:
        source = ROOT / path
        if not source.exists():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", source.read_text(), re.MULTILINE):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_no_promise_is_pending():
    table_rows = [line for line in DOC.splitlines() if line.startswith("| ") and "---" not in line]
    assert table_rows
    assert [row for row in table_rows if "pending" in row.lower()] == []
