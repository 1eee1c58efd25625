"""Docs stay true: every setting documented; the README's verbs and options are --help's."""

import argparse
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


def options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings
            if o.startswith("--") and o != "--help"}


def subcommands(parser: argparse.ArgumentParser) -> dict:
    return next((a.choices for a in parser._actions
                 if isinstance(a, argparse._SubParsersAction)), {})


def test_readme_commands_list_exactly_the_options_of_each_verbs_help():
    """Option by option: a flag added to a verb, or renamed, must reach the README."""
    block = (ROOT / "README.md").read_text().split("## Commands")[1].split("```sh")[1]
    verbs = subcommands(build_parser())
    documented: dict[str, tuple] = {}
    for line in block.split("```")[0].splitlines():
        match = re.match(r"mediawatch (\w+)(?: (\w+))?", line)
        if not match:
            continue
        verb, sub = match.groups()
        parser, name = verbs[verb], verb
        if sub in subcommands(parser):  # `watches test`: a verb of its own
            parser, name = subcommands(parser)[sub], f"{verb} {sub}"
        flags = set(re.findall(r"--[a-z][a-z-]*", line.split("#")[0]))
        documented.setdefault(name, (parser, set()))[1].update(flags)
    assert {n.split()[0] for n in documented} == set(verbs)
    for name, (parser, flags) in documented.items():
        assert flags == options(parser), (name, "README lacks", options(parser) - flags,
                                          "--help lacks", flags - options(parser))
