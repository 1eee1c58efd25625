"""--verbose and PREFECT_LOGGING_LEVEL: the environment is kept, unless the flag asks for more."""

import os

import pytest

from flows.console import configure_logging

@pytest.mark.parametrize("inherited, verbose, expected", [
    (None, False, "WARNING"),
    (None, True, "INFO"),
    ("WARNING", True, "INFO"),  # -v must show the per-run lines even so
    ("error", True, "INFO"),
    ("DEBUG", True, "DEBUG"),  # already louder than -v asks: kept
    ("ERROR", False, "ERROR"),
    ("DEBUG", False, "DEBUG"),
])
def test_verbose_flag_and_inherited_level(monkeypatch, inherited, verbose, expected):
    if inherited is None:
        monkeypatch.delenv("PREFECT_LOGGING_LEVEL", raising=False)
    else:
        monkeypatch.setenv("PREFECT_LOGGING_LEVEL", inherited)
    configure_logging(verbose)

    assert os.environ["PREFECT_LOGGING_LEVEL"].upper() == expected
