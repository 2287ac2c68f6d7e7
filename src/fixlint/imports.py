"""Which local names mean which modules and objects, from a file's own imports.

Scanning the module-level import statements is far cheaper than libcst's scope or
qualified-name providers (design.md) and is all the rules need: a decorator such as
``fx`` or ``pt.fixture`` is resolved by its dotted text, the first part looked up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fixlint.cst_util import dotted_name, module_statements


@dataclass
class ImportTable:
    """Local name -> the dotted name it was imported as (``pt`` -> ``pytest``)."""

    names: dict[str, str] = field(default_factory=dict)
    modules: set[str] = field(default_factory=set)  # local names bound by ``import x`` (surely modules)

    def qualify(self, dotted: str) -> str:
        """``pt.fixture`` -> ``pytest.fixture``; names that were not imported stay as written."""
        head, dot, rest = dotted.partition(".")
        target = self.names.get(head, head)
        return f"{target}{dot}{rest}"

    def qualified_name_of(self, node: cst.CSTNode) -> str | None:
        dotted = dotted_name(node)
        return None if dotted is None else self.qualify(dotted)


def build_import_table(module: cst.Module) -> ImportTable:
    """Collect imports at module level, including those under ``if``/``try`` (e.g. TYPE_CHECKING)."""
    table = ImportTable()
    for stmt in module_statements(module):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    _add_import(table, small)
                elif isinstance(small, cst.ImportFrom):
                    _add_import_from(table, small)
    return table


def _add_import(table: ImportTable, node: cst.Import) -> None:
    for alias in node.names:
        full = dotted_name(alias.name)
        if full is None:
            continue
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            table.names[alias.asname.name.value] = full
            table.modules.add(alias.asname.name.value)
        else:
            head = full.split(".")[0]
            table.names[head] = head
            table.modules.add(head)


def _add_import_from(table: ImportTable, node: cst.ImportFrom) -> None:
    if isinstance(node.names, cst.ImportStar):
        return
    module = dotted_name(node.module) if node.module is not None else ""
    prefix = "." * len(node.relative) + (module or "")
    for alias in node.names:
        name = dotted_name(alias.name)
        if name is None:
            continue
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        table.names[local] = f"{prefix}.{name}" if prefix and not prefix.endswith(".") else prefix + name
