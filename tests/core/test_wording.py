"""Polish as the office writes it (issue 16, item 6): every page and paper of the demo, read as
text, has none of the known defects: a word doubled ("Stan | Stan", "Moduł Moduł 1"), brackets
in brackets ("(obowiązuje (sprzęt przekazany))"), a capitalised month name after a number or
mid-sentence ("1 Grudnia", "w Grudzień 2026"), a gender bracket ("ukończył(a)") where the
person's sex is known, and a required field's label starting with a lowercase letter.

The URL list is the role x URL matrix's (tests/url_samples.py, through tests/crawl.py): every URL
that some role may open is fetched once, by the first role of ROLES that may open it; PDFs are
read with pypdf. One crawl for the session, shared by the tests below.
"""

import re
from html import unescape

import pytest
from django.test import Client

from lebork_einclusion import roles
from tests.crawl import crawl, urls_for

ROLES = [
    roles.COORDINATOR,
    roles.COMMITTEE,
    roles.MONITORING,
    roles.ASSISTANT,
    roles.FINANCE,
    roles.AUDITOR,
    None,
]

_CRAWL: list = []


@pytest.fixture
def fetched(make_user, db):
    """Every page and paper the demo shows (each URL once), as (name, url, kind, text)."""
    if not _CRAWL:
        seen = set()
        for role in ROLES:
            urls = [(name, url) for name, url in urls_for(role) if url not in seen]
            seen |= {url for _name, url in urls}
            client = Client()
            if role:
                client.force_login(make_user(role))
            for item in crawl(client, role, urls).fetched:
                if item.status == 200 and item.content_type.startswith("text/html"):
                    _CRAWL.append((item.name, item.url, "html", item.text))
                elif item.status == 200 and item.content_type.startswith("application/pdf"):
                    _CRAWL.append((item.name, item.url, "pdf", item.text))
    return _CRAWL


_HIDDEN = re.compile(r"<(script|style|template|head)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# Options of a <select> are a list, not a sentence: each is read alone.
_OPTION = re.compile(r"<option\b.*?</option>", re.S | re.I)


def visible_text(html: str) -> str:
    """What a person reads on a page: the text between the tags, each element apart."""
    html = _HIDDEN.sub(" ", html)
    html = _OPTION.sub(" ¶ ", html)
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ¶ ", html)))


def text_of(kind: str, text: str) -> str:
    return visible_text(text) if kind == "html" else re.sub(r"\s+", " ", text)


WORD = r"[^\W\d_]{3,}"
# What may stand between two words of one phrase: spaces, a separator, and at most the end of one
# element and the start of the next (a column header beside another, a label beside its value).
# A breadcrumb and the heading below it are further apart, and are not a doubled word.
APART = r"[\s|/:–—-]*(?:¶[\s|/:–—-]*){0,2}"
# The same word twice, with the same capital ("Stan | Stan", "Ustalenia / Ustalenia",
# "Moduł Moduł 1"); "obecny ¶ Obecni" starts a new element as a sentence does.
DOUBLED = re.compile(rf"\b({WORD}){APART}\1\b")
NESTED_BRACKETS = re.compile(r"\([^()¶]*\([^()¶]*\)[^()¶]*\)")
MONTHS = [
    *("Styczeń", "Luty", "Marzec", "Kwiecień", "Maj", "Czerwiec", "Lipiec", "Sierpień"),
    *("Wrzesień", "Październik", "Listopad", "Grudzień", "Stycznia", "Lutego", "Marca"),
    *("Kwietnia", "Maja", "Czerwca", "Lipca", "Sierpnia", "Września", "Października"),
    *("Listopada", "Grudnia"),
]
# A month name with a capital, after a number ("1 Grudnia 2026") or a lowercase word ("w Grudzień
# 2026"), and before a number (a year or a day): "2012/029 Maja Duda" is a person's name, and a
# heading or a cell may start with a capital as any first word does.
CAPITAL_MONTH = re.compile(r"(?:\d|\b[a-ząćęłńóśźż]+,?)\s+(" + "|".join(MONTHS) + r")\s+\d")
# "ukończył(a)", "beneficjent(ka)", "Pan(i)": the form for either sex.
GENDER_BRACKET = re.compile(r"\b([^\W\d_]+\((?:a|y|i|ka|ła)\))")

# Where the form for either sex is right: the person's sex is not recorded. Staff users
# (who entered, verified, reported, approved) have no PESEL; the signer of a visit protocol is
# named only when signing; a signature line of a paper is for whoever signs it.
EITHER_SEX_OF_STAFF_OR_UNKNOWN = {
    "wprowadził(a)",
    "zapisał(a)",
    "zweryfikował(a)",
    "zgłosił(a)",
    "dołączył(a)",
    "zwolnił(a)",
    "podpisał(a)",
    "sporządził(a)",
    "zatwierdził(a)",
}
# The module's certificate text as written for every trainee (each certificate resolves it).
EITHER_SEX_PAGES = {"training:module_detail", "training:module_edit"}

# Doubled words that are right: (URL name, the two words as found).
DOUBLED_BUT_RIGHT = {
    # The register of processing: a field ("imię", "login") beside its category of data
    # ("imię i nazwisko", "login, adres IP i przeglądarka").
    ("core:processing_register", "imię ¶ ¶ imię"),
    ("core:processing_register", "login ¶ ¶ login"),
    ("core:processing_register", "niepełnosprawność ¶ ¶ niepełnosprawność"),
    # Two buttons: "Zapisz" and "Zapisz i przejdź do następnego".
    ("recruitment:application_review", "Zapisz ¶ ¶ Zapisz"),
}
LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S | re.I)


def _defects(pattern, fetched, exempt=frozenset(), right=frozenset()):
    found = []
    for name, url, kind, text in fetched:
        if name in exempt:
            continue
        for match in pattern.finditer(text_of(kind, text)):
            if (name, match.group(0)) in right or match.group(1).lower() in right:
                continue
            found.append(f"{name} {url}: {match.group(0)!r}")
    return sorted(set(found))


def test_the_crawl_reads_pages_and_papers(fetched):
    kinds = {kind for _name, _url, kind, _text in fetched}
    assert kinds == {"html", "pdf"}
    assert len(fetched) > 190
    # The papers are read as text (the certificate, the agreement, the return protocol).
    names = {name for name, _url, kind, _text in fetched if kind == "pdf"}
    assert {"lending:agreement_pdf", "lending:return_pdf"} <= names


def test_no_word_is_doubled(fetched):
    assert _defects(DOUBLED, fetched, right=DOUBLED_BUT_RIGHT) == []


def test_no_brackets_in_brackets(fetched):
    assert _defects(NESTED_BRACKETS, fetched) == []


def test_no_capitalised_month_mid_sentence(fetched):
    assert _defects(CAPITAL_MONTH, fetched) == []


def test_no_gender_bracket_where_the_sex_is_known(fetched):
    found = _defects(
        GENDER_BRACKET, fetched, exempt=EITHER_SEX_PAGES, right=EITHER_SEX_OF_STAFF_OR_UNKNOWN
    )
    assert found == []


def test_required_field_labels_start_with_a_capital(fetched):
    bad = []
    for name, url, kind, text in fetched:
        if kind != "html":
            continue
        for label in LABEL.findall(text):
            words = re.sub(r"\s+", " ", unescape(_TAG.sub("", label))).strip()
            if words.endswith("*") and words[:1].islower():
                bad.append(f"{name} {url}: {words!r}")
    assert sorted(set(bad)) == []


@pytest.mark.parametrize(
    "text,pattern",
    [
        ("<th>Stan</th><th>Stan</th>", DOUBLED),
        ("Ustalenia / Ustalenia", DOUBLED),
        ("Moduł Moduł 1: Podstawy", DOUBLED),
        ("(obowiązuje (sprzęt przekazany))", NESTED_BRACKETS),
        ("do 1 Grudnia 2026", CAPITAL_MONTH),
        ("wizyty w Grudzień 2026", CAPITAL_MONTH),
        ("Pani Anna ukończył(a) szkolenie", GENDER_BRACKET),
        ("Obecni: beneficjent(ka) i dzieci", GENDER_BRACKET),
    ],
)
def test_the_checks_find_the_defects_they_name(text, pattern):
    assert pattern.search(visible_text(text))


@pytest.mark.parametrize(
    "text,pattern",
    [
        ("<th>Stan</th><th>Uwagi</th>", DOUBLED),
        ("<option>Stan</option><option>Stan techniczny</option>", DOUBLED),
        ("obowiązuje (sprzęt przekazany)", NESTED_BRACKETS),
        ("<h1>Grudzień 2026</h1>", CAPITAL_MONTH),
        ("2012/029 Maja Duda", CAPITAL_MONTH),
        ("<li>Uczestnicy</li></ol><h1>Uczestnicy</h1>", DOUBLED),
        ("<dd>uczestniczy</dd><dt>Uczestniczy od</dt>", DOUBLED),
        ("do 1 grudnia 2026", CAPITAL_MONTH),
        ("ukończyła szkolenie", GENDER_BRACKET),
    ],
)
def test_the_checks_pass_what_is_right(text, pattern):
    assert not pattern.search(visible_text(text))
