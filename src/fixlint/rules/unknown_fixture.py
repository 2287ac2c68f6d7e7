"""FXL405 unknown-fixture: a test or fixture requests a name no fixture anywhere provides.

Off by default: precision depends on seeing every plugin the tests run with. It reports only
in test modules (``test_*.py`` / ``*_test.py``), only where every level pytest would search
can be read, and never for a name something else may supply: parametrization (decorators,
``pytestmark``, ``pytest_generate_tests``), ``mock.patch`` decorators, unknown decorators.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from fixlint.cst_util import dotted_name, module_statements
from fixlint.imports import ImportTable
from fixlint.model import Fixture
from fixlint.project import ini_value
from fixlint.rules.base import FileContext, Finding, Rule, is_test_module
from fixlint.summary import FixtureDef, parametrized_names, requested_parameters
from fixlint.view import FileView

# Decorators that leave a test's parameters alone, besides marks.
_NEUTRAL_DECORATORS = frozenset({"staticmethod"})
# mock's patch decorators; each (without an explicit replacement) passes one argument.
_PATCHES = frozenset({"unittest.mock.patch", "mock.patch", "unittest.mock.patch.object", "mock.patch.object"})
_PATCH_FAMILY = ("unittest.mock.patch", "mock.patch")


@dataclass(frozen=True)
class _Test:
    function: cst.FunctionDef
    classes: tuple[cst.ClassDef, ...]  # enclosing test classes, outermost first


def check(context: FileContext) -> Iterator[Finding]:
    path = Path(context.path)
    if not is_test_module(path.name):
        return
    view = context.view
    root = view.project.root_of(view.path.parent)
    if any(ini_value(root, key) for key in ("python_functions", "python_classes", "python_files")):
        return  # the project collects differently: which functions are tests is not ours to guess
    if not _in_testpaths(view.path, root, ini_value(root, "testpaths")):
        return  # pytest does not collect it when run from the rootdir (a script, an example)
    generated, dynamic = view.project.generated_names(view.path)
    if dynamic or view.summary.generates_dynamically:
        return
    generated |= set(view.summary.generated or ())
    marks = _MarkReader(context.module, context.imports)
    module_params = marks.pytestmark_names(context.module.body)
    if module_params is None:
        return
    known = generated | module_params
    for test in _tests(context.module):
        yield from _check_test(view, marks, test, known)
    anywhere = marks.anywhere(context.module)
    if anywhere is None:
        return
    class_fixture_names = {f.name for f in context.fixtures if f.class_name is not None}
    for fixture in context.fixtures:
        yield from _check_fixture(view, fixture, known | anywhere | class_fixture_names)


def _definitions(module: cst.Module) -> Iterator[cst.CSTNode]:
    """Functions and classes at module level and in class bodies (where tests and fixtures
    live), without walking into function bodies."""
    pending: list[cst.CSTNode] = list(module_statements(module))
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock):
            pending.extend(node.body.body)


def _in_testpaths(path: Path, root: Path, testpaths: str | None) -> bool:
    """Is ``path`` under one of the rootdir's ``testpaths`` (globs allowed)? True when unset."""
    if not testpaths:
        return True
    for entry in testpaths.split():
        for folder in root.glob(entry.strip("/")) if any(c in entry for c in "*?[") else [root / entry]:
            if path.is_relative_to(folder):
                return True
    return False


def _tests(module: cst.Module) -> Iterator[_Test]:
    """Test functions as pytest collects them by default: ``test*`` functions at module level
    and in ``Test*`` classes without ``__init__`` (nested ones too)."""
    pending: list[tuple[cst.CSTNode, tuple[cst.ClassDef, ...]]] = [(stmt, ()) for stmt in module.body]
    while pending:
        stmt, classes = pending.pop(0)
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value.startswith("test"):
            yield _Test(stmt, classes)
        elif isinstance(stmt, cst.ClassDef) and stmt.name.value.startswith("Test"):
            if isinstance(stmt.body, cst.IndentedBlock) and not any(
                isinstance(inner, cst.FunctionDef) and inner.name.value == "__init__" for inner in stmt.body.body
            ):
                pending.extend((inner, (*classes, stmt)) for inner in stmt.body.body)


class _MarkReader:
    """Reads marks: which decorators are marks, and what ``parametrize`` marks supply."""

    def __init__(self, module: cst.Module, imports: ImportTable) -> None:
        self.imports = imports
        self.aliases: dict[str, cst.BaseExpression] = {}  # ``slow = pytest.mark.slow`` and the like
        for stmt in module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and self._is_mark(small.value):
                        for target in small.targets:
                            if (name := dotted_name(target.target)) is not None:
                                self.aliases[name] = small.value

    def _is_mark(self, node: cst.BaseExpression) -> bool:
        target = node.func if isinstance(node, cst.Call) else node
        written = dotted_name(target)
        if written is None:
            return False
        qualified = self.imports.qualify(written)
        return qualified.startswith("pytest.mark.") or written.split(".")[0] in self.aliases

    def parametrize_names(self, node: cst.BaseExpression) -> set[str] | None:
        """Names a mark expression parametrizes (empty for other marks); None when unreadable."""
        written = dotted_name(node)
        if written in self.aliases:
            return self.parametrize_names(self.aliases[written])  # type: ignore[index]
        if written is not None and written.split(".")[0] in self.aliases:
            return None  # ``m = pytest.mark`` then ``@m.parametrize``...: not worth reading
        if isinstance(node, cst.Call) and (dotted_name(node.func) or "").endswith("parametrize"):
            found = parametrized_names(node)
            return None if found is None else set(found)
        return set()

    def pytestmark_names(self, body: object) -> set[str] | None:
        """Names parametrized by ``pytestmark = ...`` in a module or class body."""
        names: set[str] = set()
        for stmt in body:  # type: ignore[attr-defined]
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not (isinstance(small, cst.Assign) and any(
                    dotted_name(t.target) == "pytestmark" for t in small.targets
                )):
                    continue
                value = small.value
                items = [e.value for e in value.elements] if isinstance(value, (cst.List, cst.Tuple)) else [value]
                for item in items:
                    found = None if self.skips(item) else self.parametrize_names(item)
                    if found is None:
                        return None
                    names |= found
        return names

    def anywhere(self, module: cst.Module) -> set[str] | None:
        """Every name a parametrize mark in the module gives (tests, classes, ``pytestmark``):
        a fixture of the module may request any of them. None when one is unreadable."""
        names: set[str] = set()
        for node in _definitions(module):
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                marks = [d.decorator for d in node.decorators if self._is_mark(d.decorator)]
                body = node.body.body if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock) else ()
                found = self.pytestmark_names(body)
                if found is None:
                    return None
                names |= found
                for mark in marks:
                    found = self.parametrize_names(mark)
                    if found is None:
                        return None
                    names |= found
        return names

    def parametrized(self, test: _Test) -> set[str] | None:
        """Everything parametrize marks give this test (its own, its classes'), or None when a
        decorator may change its parameters in ways we cannot read."""
        names: set[str] = set()
        for cls in test.classes:
            body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
            found = self.pytestmark_names(body)
            if found is None:
                return None
            names |= found
            for decorator in cls.decorators:
                if not self._is_mark(decorator.decorator) or self.skips(decorator.decorator):
                    return None
                found = self.parametrize_names(decorator.decorator)
                if found is None:
                    return None
                names |= found
        for decorator in test.function.decorators:
            expression = decorator.decorator
            if self.skips(expression):
                return None
            if self._is_mark(expression):
                found = self.parametrize_names(expression)
                if found is None:
                    return None
                names |= found
            elif not self._is_patch(expression) and dotted_name(expression) not in _NEUTRAL_DECORATORS:
                return None
        return names

    def skips(self, node: cst.BaseExpression) -> bool:
        """``skip``/``skipif`` marks: pytest may never set the test up, so a missing fixture
        there fails nothing today."""
        written = dotted_name(node.func if isinstance(node, cst.Call) else node)
        if written in self.aliases:
            return self.skips(self.aliases[written])  # type: ignore[index]
        return self.imports.qualify(written or "").endswith((".skip", ".skipif"))

    def _is_patch(self, node: cst.BaseExpression) -> bool:
        target = node.func if isinstance(node, cst.Call) else node
        qualified = self.imports.qualify(dotted_name(target) or "")
        return qualified.startswith(_PATCH_FAMILY)

    def patch_arguments(self, function: cst.FunctionDef) -> int | None:
        """How many leading parameters mock's patch decorators fill (None: cannot tell)."""
        count = 0
        for decorator in function.decorators:
            node = decorator.decorator
            if not self._is_patch(node):
                continue
            if not isinstance(node, cst.Call):
                return None
            qualified = self.imports.qualify(dotted_name(node.func) or "")
            if qualified not in _PATCHES:
                if qualified.endswith(".dict"):
                    continue  # patch.dict passes nothing
                return None  # patch.multiple passes keyword arguments
            positional = [arg for arg in node.args if arg.keyword is None]
            replacement = len(positional) > (2 if qualified.endswith(".object") else 1) or any(
                arg.keyword is not None and arg.keyword.value == "new" for arg in node.args
            )
            count += 0 if replacement else 1
        return count


def _check_test(view: FileView, marks: _MarkReader, test: _Test, known: set[str]) -> Iterator[Finding]:
    parametrized = marks.parametrized(test)
    patched = marks.patch_arguments(test.function)
    if parametrized is None or patched is None:
        return
    names = list(requested_parameters(test.function))
    static = any(dotted_name(d.decorator) == "staticmethod" for d in test.function.decorators)
    if test.classes and names and not static:
        names = names[1:]  # pytest binds a method's first parameter, whatever its name
    names = names[patched:]
    class_name = test.classes[-1].name.value if test.classes else None
    for name in names:
        if name in known or name in parametrized:
            continue
        finding = _unknown(view, name, class_name, test.function, f"test `{test.function.name.value}`")
        if finding is not None:
            yield finding


def _check_fixture(view: FileView, fixture: Fixture, known: set[str]) -> Iterator[Finding]:
    if fixture.function.decorators and len(fixture.function.decorators) > 1:
        return  # another decorator may add or consume parameters
    for name in requested_parameters(fixture.function):
        if name not in fixture.parameters or name in known or name == fixture.name:
            continue
        finding = _unknown(view, name, fixture.class_name, fixture.function, f"fixture `{fixture.name}`")
        if finding is not None:
            yield finding


def _unknown(
    view: FileView, name: str, class_name: str | None, function: cst.FunctionDef, who: str
) -> Finding | None:
    resolution = view.resolve(name, class_name)
    if resolution.definitions or not resolution.certain:
        return None
    param = next(
        p for p in (*function.params.posonly_params, *function.params.params, *function.params.kwonly_params)
        if p.name.value == name
    )
    fixtures = [seen for seen, definition in view.visible(class_name).items() if isinstance(definition, FixtureDef)]
    close = difflib.get_close_matches(name, fixtures, n=1)
    hint = f"; did you mean `{close[0]}`?" if close else ""
    return UNKNOWN_FIXTURE.finding(
        param,
        f"{who} requests `{name}`, but no fixture of that name is visible here (this module, the "
        f"conftest.py files above it, the plugins, pytest's built-ins): pytest errors with "
        f"\"fixture '{name}' not found\"{hint}",
    )


UNKNOWN_FIXTURE = Rule(
    code="FXL405",
    name="unknown-fixture",
    summary="A test or fixture requests a fixture that does not exist",
    explanation='''\
## What it does
Checks the parameters of tests and fixtures in test modules (`test_*.py`, `*_test.py`)
against every fixture they can see: the class, the module, the conftest.py files above,
the plugins (`pytest_plugins`, `-p` in `addopts`, the plugins installed where fixlint runs,
the common plugins fixlint knows, and the `plugin-fixtures` setting), and pytest's
built-ins. A name none of them defines is reported.

This rule is off by default: select it with `--select FXL405` or `extend-select`. It stays
silent wherever it cannot see everything, and for tests marked `skip` or `skipif` (pytest
never sets up a skipped test, so the missing fixture fails nothing yet): a parameter
filled by `@pytest.mark.parametrize`
(on the test, its class or `pytestmark`), by `pytest_generate_tests`, or by a
`mock.patch` decorator; a test with any other decorator (it may change the signature); a
star import or a `pytest_plugins` entry it cannot read; a project that depends on a pytest
plugin fixlint neither knows nor finds installed; a project that changes `python_functions`,
`python_classes` or `python_files`; a file outside the rootdir's `testpaths`. Fixture parameters in conftest.py
files are not checked: a test deeper down may supply them.

## Why is this bad?
pytest errors with `fixture 'dbx' not found` when the test runs: a typo, a fixture that
was renamed or removed, or a plugin that is not installed. The error shows up only for
that test, often after the rest of the suite ran.

## Example
```python
def test_query(databse):
    assert databse.execute("select 1")
```

## Use instead
```python
def test_query(database):
    assert database.execute("select 1")
```
If the fixture comes from a plugin fixlint cannot read, name it in `pyproject.toml`:
```toml
[tool.fixlint.plugin-fixtures]
database = "session"
```

## Fix safety
No fix: fixlint cannot know which fixture was meant.
''',
    fix=None,
    check=check,
    reads_tests=True,
)
