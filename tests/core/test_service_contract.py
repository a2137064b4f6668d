"""The service contract (issue 13): every public `do_*` write in an app's services is a
`@service` (lebork_einclusion.records): atomic, `actor` keyword-only and required, the audit
context set. A new write without the decorator fails here, app by app.

An app's services are `<app>/services.py`, or every module of the package `<app>/services/`.
"""

import importlib
import inspect
import types
from pathlib import Path

import pytest
from django.conf import settings

from lebork_einclusion.records import service

ROOT = Path(__file__).resolve().parents[2]


def service_modules(app: str) -> list[str]:
    package = ROOT / app / "services"
    if package.is_dir():
        return sorted(
            f"{app}.services" if path.stem == "__init__" else f"{app}.services.{path.stem}"
            for path in package.glob("*.py")
        )
    if (ROOT / app / "services.py").exists():
        return [f"{app}.services"]
    return []


def writes_of(module) -> dict[str, object]:
    """The public `do_*` functions the module defines itself (a re-export is checked where it
    is defined)."""
    return {
        f"{module.__name__}.{name}": obj
        for name, obj in vars(module).items()
        if name.startswith("do_") and inspect.isfunction(obj) and obj.__module__ == module.__name__
    }


def not_services(modules: list) -> list[str]:
    writes = {}
    for module in modules:
        writes.update(writes_of(module))
    return sorted(
        name for name, function in writes.items() if not getattr(function, "is_service", False)
    )


@pytest.mark.parametrize("app", settings.PROJECT_APPS)
def test_every_write_of_the_app_is_a_service(app):
    modules = [importlib.import_module(name) for name in service_modules(app)]

    assert not_services(modules) == [], "a do_* write without @service (lebork_einclusion.records)"


def test_the_walk_finds_the_core_services():
    assert service_modules("lebork_einclusion") == ["lebork_einclusion.services"]
    module = importlib.import_module("lebork_einclusion.services")
    assert {
        "lebork_einclusion.services.do_place_legal_hold",
        "lebork_einclusion.services.do_release_legal_hold",
    } <= set(writes_of(module))


def test_a_write_without_the_decorator_is_named():
    module = types.ModuleType("stand_in.services")
    exec(  # noqa: S102 - a module made here, for the check to look at
        "def do_plain(x, *, actor): ...\ndef helper(x): ...\n",
        module.__dict__,
    )
    module.do_declared = service(lambda x, *, actor: x)
    module.do_declared.__module__ = module.__name__

    assert not_services([module]) == ["stand_in.services.do_plain"]
