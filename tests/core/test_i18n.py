from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/pl/LC_MESSAGES/*.po") if ".venv" not in p.parts)


def untranslated(po_path: Path) -> list[str]:
    """msgids of a .po file with an empty or fuzzy translation (a small parser: no extra deps)."""
    problems, entries = [], po_path.read_text(encoding="utf-8").split("\n\n")
    for entry in entries[1:]:  # the first entry is the header
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        msgid = " ".join(line for line in lines if line.startswith(("msgid ", '"')))[:80]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        strs, current = [], None
        for line in lines:
            if line.startswith("msgstr"):
                current = [line.split(" ", 1)[1]]
                strs.append(current)
            elif line.startswith('"') and current is not None:
                current.append(line)
        empty = any("".join(part.strip('"') for part in s) == "" for s in strs)
        if fuzzy or empty or not strs:
            problems.append(msgid)
    return problems


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_polish_message_is_translated(po):
    assert untranslated(po) == []


def test_there_is_a_polish_catalogue_per_app_and_for_the_core():
    assert len(CATALOGUES) == 7


def test_the_interface_is_polish_by_default_and_english_on_request(client, db):
    response = client.get(reverse("login"))
    assert 'lang="pl"' in response.content.decode()
    assert "Zaloguj się" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert 'lang="en"' in response.content.decode()
    assert "Log in" in response.content.decode()
