"""Docs stay true: every setting documented; README verbs exist in --help."""

import re

from flows.cli import build_parser
from flows.settings import SETTINGS
from tests.conftest import ROOT


def test_every_setting_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0]
    for s in SETTINGS:
        assert f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |" in table, s.name


def test_readme_verbs_exist():
    readme = (ROOT / "README.md").read_text()
    verbs = set(re.findall(r"^mediawatch (\w+)", readme, re.MULTILINE))
    choices = set(build_parser()._subparsers._group_actions[0].choices)
    assert verbs and verbs <= choices, verbs - choices
