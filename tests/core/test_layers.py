"""Declared surfaces (issue 13): the import-linter contracts in pyproject.toml hold for the
project, and break on a new import that goes up a layer or into another app's private module.

The breaches are checked on a copy of the project's packages (Python files only) with the same
pyproject.toml and one generated module per breach: lint-imports reads the tree it is run in.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd), "NO_COLOR": "1", "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_its_layers_and_public_surfaces():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import downward only" in result.stdout
    assert "Another app imports only an app's public modules KEPT" in result.stdout
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_contracts_follow_project_apps():
    """The layers run in PROJECT_APPS order (the core at the bottom, recruitment and procurement
    as independent siblings), and every app, a new one too, has its surface protected."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    bottom_up = [
        app.strip() for layer in reversed(contracts["layers"]["layers"]) for app in layer.split("|")
    ]

    assert config["root_packages"] == settings.PROJECT_APPS
    assert bottom_up == settings.PROJECT_APPS
    assert "recruitment | procurement" in contracts["layers"]["layers"]
    assert contracts["public-surfaces"]["type"] == "protected"
    assert contracts["public-surfaces"]["protected_modules"] == settings.PROJECT_APPS
    assert contracts["public-surfaces"]["allowed_importers"] == []


def _copy_of_the_project(tmp_path: Path) -> Path:
    tree = tmp_path / "project"
    for app in settings.PROJECT_APPS:
        shutil.copytree(
            ROOT / app,
            tree / app,
            ignore=lambda folder, names: [
                name
                for name in names
                if name == "__pycache__"
                or (not name.endswith(".py") and not (Path(folder) / name).is_dir())
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_a_new_breach_of_a_layer_or_a_private_module_fails(tmp_path):
    tree = _copy_of_the_project(tmp_path)
    assert lint_imports(tree).returncode == 0  # the copy keeps both contracts, until:
    (tree / "recruitment" / "_helper.py").write_text("VALUE = 1\n")
    (tree / "monitoring" / "breach.py").write_text(
        "from lending import views\n"  # another app's views
        "from recruitment._helper import VALUE\n"  # a private helper
        "from training.figures import training_figures\n"  # not through training.queries
        "from lending.queries import lent_assets\n"  # public: allowed
        "from training.queries import training_figures as figures\n"  # public: allowed
        "from lebork_einclusion.pdf import render_pdf\n"  # a core helper: allowed
    )
    (tree / "lending" / "breach.py").write_text("from monitoring.models import VisitRule\n")  # up
    (tree / "recruitment" / "breach.py").write_text(
        "from procurement.models import Contract\n"  # sideways: independent siblings
    )
    (tree / "lebork_einclusion" / "breach.py").write_text(
        "from recruitment.models import Call\n"  # the core imports no app
        "from lebork_einclusion.views import project\n"  # the core's own module: allowed
    )

    result = lint_imports(tree)
    out = result.stdout

    assert result.returncode == 1, out + result.stderr
    assert "Contracts: 0 kept, 2 broken." in out
    layers = out[out.index("Broken contracts") : out.rindex("Another app imports only")]
    surfaces = out[out.rindex("Another app imports only") :]
    assert "- lending.breach -> monitoring.models (l.1)" in layers
    assert "- recruitment.breach -> procurement.models (l.1)" in layers
    assert "- lebork_einclusion.breach -> recruitment.models (l.1)" in layers
    assert "- monitoring.breach -> lending.views (l.1)" in surfaces
    assert "- monitoring.breach -> recruitment._helper (l.2)" in surfaces
    assert "- monitoring.breach -> training.figures (l.3)" in surfaces
    assert "- lending.breach -> monitoring.models (l.1)" in surfaces
    for allowed in ("lending.queries", "training.queries", "lebork_einclusion.pdf"):
        assert f"-> {allowed} " not in out
    assert "-> lebork_einclusion.views" not in out
