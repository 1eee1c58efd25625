"""The verb registry: every module of flows/verbs/ is a verb the CLI lists, and a command
imports the module of its own verb only (`--help`: none)."""

import pkgutil
import subprocess
import sys

from flows import verbs
from flows.cli import VERBS, build_parser, chosen_verb, verb


def test_every_verb_module_is_listed_and_has_its_options_and_its_run():
    modules = {m.name for m in pkgutil.iter_modules(verbs.__path__)}
    assert modules == set(VERBS)
    assert list(build_parser()._subparsers._group_actions[0].choices) == list(VERBS)
    for name in VERBS:
        assert callable(verb(name).add_arguments) and callable(verb(name).run), name


def test_the_verb_is_the_first_word_that_is_not_an_option():
    assert chosen_verb(["-v", "status", "--db", "x"]) == ("status",)
    assert chosen_verb(["sql", "select -1"]) == ("sql",)
    assert chosen_verb(["--help"]) == ()
    assert chosen_verb(["nonsense"]) == ()


def test_a_command_imports_its_own_verb_and_help_none():
    code = ("import sys\nfrom flows.cli import build_parser\nbuild_parser(())\n"
            "print(sorted(m for m in sys.modules if m.startswith('flows.verbs')))\n"
            "build_parser(('status',))\n"
            "print(sorted(m for m in sys.modules if m.startswith('flows.verbs')))\n"
            "build_parser()\nprint('prefect' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[]", "['flows.verbs', 'flows.verbs.status']", "False"]
