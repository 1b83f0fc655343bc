"""The layering of ARCHITECTURE.md, read from the source: no import cycles, no upward imports."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "khalkhin"

# Each layer may import only from the layers before it (and from itself).
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"errors", "version", "text", "paths", "tempfiles", "forks"}),
    ("domain", {"dates", "model", "load", "validate", "cache", "store", "chronology", "query",
                "search", "calendars", "datetext", "querytext", "textindex"}),
    ("views", {"views"}),
    ("render", {"render"}),
    ("io", {"term", "folder"}),
    ("cli", {"cli", "__main__"}),
]
# Third-party packages that belong to one layer only.
PRESENTATION = ("rich", "typer", "click")


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PKG.rglob("*.py")}


def imports(path: Path, known: set[str]) -> set[str]:
    """Every module imported anywhere in the file (lazy imports inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for a in node.names:
                full = f"{base}.{a.name}"
                out.add(full if full in known else base)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: {i for i in imports(p, known) if i in known and i != m} for m, p in mods.items()}


def layer(mod: str) -> int:
    parts = mod.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    for n, (_, names) in enumerate(LAYERS):
        if head in names:
            return n
    return -1


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in modules() if m != "khalkhin" and layer(m) < 0]
    assert unplaced == [], "add these modules to a layer in ARCHITECTURE.md and this test"


def test_no_import_cycles() -> None:
    g = graph()
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycle = stack[stack.index(node):] + [node]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if node in done:
            return
        for nxt in sorted(g[node]):
            visit(nxt, [*stack, node])
        done.add(node)

    for mod in sorted(g):
        visit(mod, [])


def test_no_layer_imports_a_later_one() -> None:
    wrong = []
    for mod, deps in graph().items():
        if mod == "khalkhin":
            continue  # the package's own convenience functions reach the domain lazily
        for dep in deps:
            if dep != "khalkhin" and layer(dep) > layer(mod):
                wrong.append(f"{mod} imports {dep}")
    assert wrong == []


def test_only_presentation_imports_rich_and_typer() -> None:
    mods = modules()
    known = set(mods)
    wrong = []
    for mod, path in mods.items():
        if layer(mod) >= layer("khalkhin.render"):
            continue
        for dep in imports(path, known):
            if dep.split(".")[0] in PRESENTATION:
                wrong.append(f"{mod} imports {dep}")
    assert wrong == []


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    # The checks above can fail: the graph holds the imports made inside functions.
    g = graph()
    assert "khalkhin.views.chart" in g["khalkhin.render.table"]
    assert "khalkhin.cli.common" in g["khalkhin.cli.timeline"]
    assert layer("khalkhin.cli.common") > layer("khalkhin.render.json") > layer("khalkhin.dates")
