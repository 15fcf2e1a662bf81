"""The bench, its data generator included, stays out of the product: `pyproject.toml`
packages `parcours*` only, so an installed Parcours has no `bench` to import."""

import ast
from pathlib import Path

from parcours import settings as production

PARCOURS = Path(__file__).resolve().parent.parent.parent / "parcours"


def test_it_leaves_every_bench_app_out_of_the_production_settings():
    assert [app for app in production.INSTALLED_APPS if app.split(".")[0] == "bench"] == []


def test_it_never_imports_the_bench_from_the_product():
    importers = set()
    for path in PARCOURS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules = [node.module]
            else:
                continue
            if any(module.split(".")[0] == "bench" for module in modules):
                importers.add(str(path.relative_to(PARCOURS)))
    assert importers == set()
