"""Nonsense settings are refused when the server starts: one line naming the variable, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswalk.api.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("CROSSWALK_QUERY_TIMEOUT", "0", "greater than 0"),
        ("CROSSWALK_QUERY_TIMEOUT", "-5", "greater than 0"),
        ("CROSSWALK_QUERY_TIMEOUT", "nan", "finite number"),
        ("CROSSWALK_QUERY_MEMORY_MB", "1", "greater than or equal to 256"),
        ("CROSSWALK_MAX_ROWS", "-1", "greater than or equal to 1"),
        ("CROSSWALK_QUERY_WORKERS", "-1", "greater than or equal to 0"),
        ("CROSSWALK_MAX_BODY_BYTES", "0", "greater than or equal to 1024"),
        ("CROSSWALK_MAX_ROWS", "lots", "valid integer"),
    ],
)
def test_serve_refuses_a_nonsense_setting(
    variable: str, value: str, words: str, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    result = cli("serve", "--store", "memory:", "--port", "1")
    assert result.code == 2
    line = result.err.strip()
    assert line.startswith(f"error: invalid setting: {variable}={value!r}: ") and words in line, line
    assert len(line.splitlines()) == 1


def test_sensible_settings_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWALK_QUERY_TIMEOUT", "0.5")
    monkeypatch.setenv("CROSSWALK_QUERY_WORKERS", "0")
    settings = load_settings(max_rows=1)
    assert (settings.query_timeout, settings.query_workers, settings.max_rows) == (0.5, 0, 1)


@pytest.mark.parametrize("value", ["0", "-1", "big"])
def test_a_nonsense_rule_file_limit_is_refused(value: str, excerpt: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWALK_MAX_RULE_FILE_BYTES", value)
    result = cli("validate", str(excerpt))
    assert result.code == 2
    assert (
        result.err.strip()
        == f"error: invalid setting: CROSSWALK_MAX_RULE_FILE_BYTES={value!r}: expected bytes from 1 to 1 GiB"
    )
