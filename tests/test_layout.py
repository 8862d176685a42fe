"""The architecture the folders show: area packages import only the packages below them (the
order of aims/__init__.py), only aims/ui imports streamlit, and pages stay thin."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bottom to top: a package may import itself and the packages before it
# aims.store.workspaces (the workspace records, whose writes check permissions) sits above
# aims.access, which sits above the rest of aims.store (connections, the member table).
LAYERS = ["common", "store", "access", "store.workspaces", "catalog", "assessment", "ai_systems", "risk", "roadmap",
          "governance", "audit", "progress", "workshop", "reports", "workbook", "demo", "ui", "cli"]


def layer(parts: list[str]) -> str:
    """The layer of a module given as its dotted parts after 'aims' (['store', 'workspaces', ...])."""
    return "store.workspaces" if parts[:2] == ["store", "workspaces"] else parts[0]


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def package_of(module_path: Path) -> str:
    """'risk' for aims/risk/filters.py, 'cli' for aims/cli.py."""
    return module_path.relative_to(ROOT / "aims").with_suffix("").parts[0]


def test_every_area_imports_only_the_layers_below_it():
    wrong = []
    for path in (ROOT / "aims").rglob("*.py"):
        pkg = package_of(path)
        if pkg in ("__init__", "__main__"):
            continue
        pkg = layer(list(path.relative_to(ROOT / "aims").with_suffix("").parts))
        for name in imports(path):
            parts = name.split(".")
            if parts[0] != "aims" or len(parts) < 2 or layer(parts[1:]) not in LAYERS:
                continue
            if LAYERS.index(layer(parts[1:])) > LAYERS.index(pkg):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, wrong


def test_only_the_ui_layer_imports_streamlit():
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "aims").rglob("*.py")
                   if any(n.split(".")[0] == "streamlit" for n in imports(p)) and package_of(p) != "ui")
    assert users == []


def test_pages_are_thin_and_open_with_the_frame():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 220, page.name
        assert "chrome.start()" in text or "chrome.page(" in text, page.name
    assert [p.name for p in ROOT.glob("*.py")] == ["app.py"]
