"""FXL001 syntax-error: reported by the engine when a file cannot be parsed."""

from fixlint.rules.base import Rule

SYNTAX_ERROR = Rule(
    code="FXL001",
    name="syntax-error",
    summary="The file could not be parsed, so fixlint could not check it",
    fix=None,
    check=None,  # the engine reports it: no tree exists for a rule to read
    explanation="""\
## What it does
Reports a file that fixlint needed to read (it mentions fixtures) but could not parse:
a syntax error, an unknown or wrong source encoding, NUL bytes, or nesting too deep for
the parser. The location and reason come from CPython's own parser.

## Why is this bad?
fixlint cannot check what it cannot parse, and pytest cannot import it either: every test
in the file fails at collection. The file is skipped; all other files are still checked,
and `--fix` never writes to it.

fixlint only parses files that can hold a fixture (their text mentions `fixture`), so a
syntax error in another file is not reported here; your test run or other linters report it.

## Example
```python
@pytest.fixture
def conn(:
    ...
```

## Use instead
Fix the syntax error; the message says where CPython stopped.

## Fix safety
No fix is offered.
""",
)
