"""The house's map (docs/architecture.md) lists every module, and imports point the way its layers say."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "architecture.md"

# What each room of search/ may import besides the shared values (config, errors, release, results).
ROOMS = {
    "german": set(),
    "ingest": {"german"},
    "store": {"german", "ingest"},
    "query": {"german", "store"},
}
VALUES = {"config", "errors", "release", "results", "weights"}
# The values are shared by every room, so they may lean on nothing but German text handling (and each other).
ROOMS.update({value: {"german"} for value in VALUES})


def modules(package: str) -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / package).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules `path` imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            names.add(base)
            # `from . import generations` imports a module, not a name
            names.update(f"{base}.{alias.name}" for alias in node.names if (ROOT / base.replace(".", "/")
                                                                             / f"{alias.name}.py").exists())
    return names


def room_of(module: str) -> str:
    """The room (german, ingest, store, query), value module or front end a `search.…` module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_map_lists_every_module_and_no_other():
    listed = set(re.findall(r"^\| `((?:search|web)/[\w/]+\.py)` \|", MAP.read_text(encoding="utf-8"), re.M))
    present = set(modules("search") + modules("web"))
    assert sorted(present - listed) == [], "modules missing from docs/architecture.md"
    assert sorted(listed - present) == [], "docs/architecture.md lists modules that do not exist"


@pytest.mark.parametrize("path", modules("search"))
def test_imports_point_down_the_layers(path):
    source = ROOT / path
    own = room_of(".".join(source.relative_to(ROOT).with_suffix("").parts))
    if own in ("__init__", "cli"):
        return  # the public surface and the command line sit on top of every room
    allowed = ROOMS.get(own, set()) | VALUES | {own}
    wrong = sorted(name for name in imported_modules(source)
                   if name.startswith("search.") and room_of(name) not in allowed)
    assert wrong == [], f"{path} ({own}) imports {wrong}"
    assert not any(name.split(".")[0] in ("flask", "web") for name in imported_modules(source)), path


@pytest.mark.parametrize("path", modules("web"))
def test_the_web_app_uses_only_the_public_surface(path):
    names = imported_modules(ROOT / path)
    assert sorted(n for n in names if n.startswith("search.")) == [], f"{path} reaches past search/__init__.py"
    assert sorted(n for n in names if n.split(".")[0] == "whoosh") == [], f"{path} imports whoosh"


def test_the_import_resolver_sees_relative_and_module_imports(tmp_path):
    # The checks above are only as good as this resolution: a relative import two levels up, and a module imported
    # by name from its package, must come out as absolute module names.
    names = imported_modules(ROOT / "search" / "store" / "indexer.py")
    assert {"search.store.generations", "search.config"} <= names
    assert room_of("search.store.generations") == "store"
