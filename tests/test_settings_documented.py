"""A setting that is not documented is a bug (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

from crosswalk.api.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_server_setting_is_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"CROSSWALK_{name.upper()}" in README, f"CROSSWALK_{name.upper()} is not documented"
