"""The documentation site as CI builds it: the real ``mkdocs build --strict``.

A broken link or anchor must fail the build, and every generated rule page must be reachable from
the site's navigation without anyone editing mkdocs.yml when a rule is added.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
import yaml

from samples import LEAKY

ROOT = Path(__file__).parents[1]
RULE_CODES = sorted(page.stem for page in (ROOT / "docs" / "rules").glob("FXL*.md"))
# The other pages a reader must find in the navigation, as built URLs.
MAIN_PAGES = ("cli/", "configuration/", "integrations/", "architecture/", "rules/")


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """Run mkdocs as a contributor or CI does, writing the site outside the project."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # keep the theme's banner out of failure output
    )


class _PrimaryNavLinks(HTMLParser):
    """Collects the links of the theme's main navigation (``<nav class="md-nav--primary">``)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self._depth = 0  # how many <nav> elements deep inside the primary one; 0 = outside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and (self._depth or "md-nav--primary" in (values.get("class") or "").split()):
            self._depth += 1
        elif tag == "a" and self._depth and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1


def navigation(page: Path) -> set[str]:
    """The pages the built ``page`` links to from its navigation, as site-relative URLs."""
    parser = _PrimaryNavLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return {str(PurePosixPath(href)) + "/" for href in parser.links if not href.startswith(("#", "http"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    site = tmp_path_factory.mktemp("site")
    return build(ROOT, site), site


def test_the_docs_build_strictly(built) -> None:
    result, site = built
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file()


def test_every_rule_page_is_built_and_in_the_navigation(built) -> None:
    result, site = built
    assert result.returncode == 0, result.stderr
    assert RULE_CODES, "no generated rule pages in docs/rules"
    missing = [code for code in RULE_CODES if not (site / "rules" / code / "index.html").is_file()]
    assert not missing, f"rule pages not built: {missing}"
    in_nav = navigation(site / "index.html")
    absent = [url for url in (*MAIN_PAGES, *(f"rules/{code}/" for code in RULE_CODES)) if url not in in_nav]
    assert not absent, f"not in the navigation of the home page: {absent}"


def test_a_rule_page_carries_its_generated_title(built) -> None:
    """The navigation's entries are the rule pages themselves, not empty shells."""
    result, site = built
    assert result.returncode == 0, result.stderr
    for code in RULE_CODES:
        title = (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8").splitlines()[0][2:]
        assert title in (site / "rules" / code / "index.html").read_text(encoding="utf-8"), code




def test_the_rule_links_in_sarif_output_lead_to_built_pages(built, tmp_path: Path) -> None:
    """Code scanning shows each rule's helpUri; it must be a page of the site served at site_url."""
    result, site = built
    assert result.returncode == 0, result.stderr
    (tmp_path / "conftest.py").write_text(LEAKY)
    args = ["check", "--output-format", "sarif", "--select", "FXL", "conftest.py"]  # FXL: every rule
    sarif = subprocess.run(
        [sys.executable, "-m", "fixlint", *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert sarif.returncode == 1, sarif.stderr  # 1: the leak was found
    driver = json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    assert sorted(rule["id"] for rule in driver["rules"]) == RULE_CODES
    links = [driver["informationUri"], *(rule["helpUri"] for rule in driver["rules"])]
    outside = [url for url in links if not url.startswith(site_url)]
    assert not outside, f"not under mkdocs.yml's site_url {site_url}: {outside}"
    unbuilt = [url for url in links if not (site / url[len(site_url):] / "index.html").is_file()]
    assert not unbuilt, f"no such page in the built site: {unbuilt}"


# One copy of the docs, three kinds of breakage; --strict reports every warning before it stops.
BROKEN_LINKS = {
    "no-such-page.md": "a page that does not exist",
    "cli.md#no-such-section": "an anchor the page does not have",
    "rules/FXL999.md": "a rule that does not exist",
}


def test_a_broken_link_or_anchor_fails_the_strict_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    page = project / "docs" / "index.md"
    links = "".join(f"\nSee [{what}]({target}).\n" for target, what in BROKEN_LINKS.items())
    page.write_text(page.read_text(encoding="utf-8") + links, encoding="utf-8")

    result = build(project, tmp_path / "site")

    assert result.returncode != 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    unreported = [target for target in BROKEN_LINKS if not any(f"'{target}'" in line for line in warnings)]
    assert not unreported, result.stderr


def test_the_readme_links_to_documentation_that_exists() -> None:
    """README.md is outside the site, so mkdocs does not check its links: this does."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)#\s]+)", readme) if "://" not in t]
    assert targets, "the README links to no documentation"
    assert not [target for target in targets if not (ROOT / target).exists()]
