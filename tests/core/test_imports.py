"""Imports between apps point one way (docs/architecture.md, "Dependencies").

`lint-imports` (in `make lint`) checks the contracts of pyproject.toml. It sees an import
inside a function; a reader of the module's head does not, so such an import must say why it
cannot be at the top (on the line above or at its end).
"""

from __future__ import annotations

import ast
from pathlib import Path

import ortaq

SOURCE = Path(ortaq.__file__).parent


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines under `if TYPE_CHECKING:`: read by mypy only, never imported at run time."""
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _inline_ortaq_imports_without_reason() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for_mypy_only = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom) or node.col_offset == 0:
                continue
            if node.lineno in for_mypy_only:
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            relative = isinstance(node, ast.ImportFrom) and node.level > 0
            if not relative and not any(n == "ortaq" or n.startswith("ortaq.") for n in names):
                continue
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if not above.startswith("#") and "#" not in lines[node.lineno - 1]:
                found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_every_import_of_ortaq_inside_a_function_says_why() -> None:
    assert _inline_ortaq_imports_without_reason() == []
