"""One clock (issue 14): the domain code takes the office's day and moment from
lebork_einclusion.clock (`today()`, `now()`, `day_of(moment)`), never from the machine.

`date.today()` and `datetime.now()` are the machine's zone; `.date()` of an aware datetime
(`timezone.now()`, a `*_at` field) is UTC's day, a day behind between 23:00/22:00 UTC and
midnight in Warsaw; `timezone.localdate()` is right but skips the demo day. The scan reads the
syntax tree (so docstrings and comments that name these calls are not findings) of every
project app's modules, except the modules below that keep real time on purpose.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Modules that keep the machine's real time on purpose, never the (demo) office day.
REAL_TIME = {
    "lebork_einclusion/clock.py": "the clock itself",
    "lebork_einclusion/settings.py": "settings",
    "lebork_einclusion/security.py": "logins, sessions, lockouts",
    "lebork_einclusion/twofactor.py": "two-factor tokens",
    "lebork_einclusion/formkeys.py": "expiry of the once-only form keys",
    "lebork_einclusion/background.py": "generated-file housekeeping (heartbeats, expiry)",
    "lebork_einclusion/backups.py": "backup file names and archive times",
}
SKIPPED_FOLDERS = {"migrations", "tests", "bench", "__pycache__"}

# Names of aware moments: `recorded_at`, `signed_at`, `moment`, `now` (the project's habit).
MOMENT_NAMES = ("now", "moment")


def domain_modules() -> list[Path]:
    modules = []
    for app in settings.PROJECT_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if SKIPPED_FOLDERS & set(relative.parts) or relative.as_posix() in REAL_TIME:
                continue
            modules.append(path)
    return modules


def _dotted(node: ast.AST) -> str:
    """`datetime.date.today` for the function of a call (an empty part for anything else)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_dotted(node.func)}()"
    return ""


def _is_moment_call(node: ast.AST) -> bool:
    """A call that gives an aware moment: `timezone.now()`, `clock.now()`, `localtime(...)`."""
    if not isinstance(node, ast.Call):
        return False
    name = _dotted(node.func)
    return name.endswith(".now") or name == "now" or name.split(".")[-1] == "localtime"


def _is_moment_name(node: ast.AST, moment_names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in moment_names or node.id in MOMENT_NAMES or node.id.endswith("_at")
    if isinstance(node, ast.Attribute):
        return node.attr.endswith("_at")
    return False


def _finding(node: ast.Call, moment_names: set[str]) -> str | None:
    name = _dotted(node.func)
    last = name.split(".")[-1]
    if name in ("date.today", "datetime.date.today"):
        return "date.today() (the machine's day): clock.today()"
    if name in ("datetime.now", "datetime.datetime.now", "datetime.utcnow"):
        return "datetime.now() (the machine's clock): clock.now()"
    if name in ("datetime.today", "datetime.datetime.today", "datetime.datetime.utcnow"):
        return "datetime.today() (the machine's clock): clock.now()"
    if last == "localdate" and not node.args and not node.keywords:
        return "timezone.localdate() (skips the demo day): clock.today()"
    if last == "date" and isinstance(node.func, ast.Attribute) and not node.args:
        receiver = node.func.value
        if isinstance(receiver, ast.Call) and _dotted(receiver.func).endswith("localtime"):
            return "localtime(moment).date(): clock.day_of(moment)"
        if _is_moment_call(receiver) or _is_moment_name(receiver, moment_names):
            return ".date() of an aware moment (UTC's day): clock.day_of(moment)"
    return None


class _Scanner(ast.NodeVisitor):
    """Findings of one module; a name assigned from `timezone.now()`/`localtime()` in a
    function counts as a moment there."""

    def __init__(self):
        self.findings: list[tuple[int, str]] = []
        self.moment_names: list[set[str]] = [set()]

    def _visit_scope(self, node):
        self.moment_names.append(set())
        self.generic_visit(node)
        self.moment_names.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _visit_scope

    def visit_Assign(self, node):
        if _is_moment_call(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.moment_names[-1].add(target.id)
        self.generic_visit(node)

    def visit_Call(self, node):
        found = _finding(node, self.moment_names[-1])
        if found:
            self.findings.append((node.lineno, found))
        self.generic_visit(node)


def findings_in(source: str) -> list[tuple[int, str]]:
    scanner = _Scanner()
    scanner.visit(ast.parse(source))
    return scanner.findings


def test_the_domain_code_asks_the_office_clock():
    found = []
    for path in domain_modules():
        lines = path.read_text().splitlines()
        for line, reason in findings_in(path.read_text()):
            code = lines[line - 1].strip()
            found.append(f"{path.relative_to(ROOT)}:{line}: {reason}\n    {code}")
    assert not found, "The office's day and moment come from lebork_einclusion.clock:\n" + (
        "\n".join(found)
    )


def test_the_scan_covers_every_app_and_skips_what_it_should():
    scanned = {path.relative_to(ROOT).as_posix() for path in domain_modules()}
    for app in settings.PROJECT_APPS:
        assert any(name.startswith(f"{app}/") for name in scanned), app
    assert "lebork_einclusion/people.py" in scanned
    assert not [name for name in scanned if "/migrations/" in name]
    assert not set(REAL_TIME) & scanned
    for name in REAL_TIME:
        assert (ROOT / name).is_file(), f"{name} is listed as real time but does not exist"


SHOULD_FAIL = """
import datetime
from datetime import date, datetime as dt
from django.utils import timezone

def f(visit):
    a = date.today()
    b = datetime.date.today()
    c = datetime.datetime.now()
    d = timezone.localdate()
    e = timezone.now().date()
    g = timezone.localtime(visit.started_at).date()
    moment = timezone.now()
    h = moment.date()
    i = visit.signed_at.date()
    started = timezone.localtime()
    j = started.date()
    k = datetime.datetime.today()
"""

SHOULD_PASS = '''
"""Never date.today() nor timezone.now().date(): clock.today()."""
import datetime
from django.utils import timezone
from lebork_einclusion import clock

def f(visit, row):
    # not date.today(): the office's day
    a = clock.today()
    b = clock.day_of(visit.started_at)
    c = timezone.localdate(visit.started_at)
    d = datetime.date(2014, 5, 20)
    e = row.date()
    g = visit.started_on
    h = timezone.now()  # a moment kept as such (security and housekeeping)
    i = datetime.datetime.combine(clock.today(), datetime.time())
    j = "timezone.now().date()"
'''


def test_the_scan_finds_each_forbidden_form():
    assert [line for line, _ in findings_in(SHOULD_FAIL)] == [7, 8, 9, 10, 11, 12, 14, 15, 17, 18]


def test_the_scan_leaves_the_office_clock_and_plain_dates_alone():
    assert findings_in(SHOULD_PASS) == []
