"""Each command imports only what it uses (issue 18): `crosswalk compare` starts without the SHACL
validator, the template engine, the PDF renderer, rdflib's SPARQL engine or the ingest machinery,
which together were half of its process time, nor the remote store's HTTP client. Checked in a
fresh interpreter, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Outcome

HEAVY = (
    "pyshacl", "jinja2", "weasyprint", "rdflib.plugins.sparql", "crosswalk.graph.ingest", "crosswalk.graph.build",
    "httpx", "crosswalk.graph.remote",  # the remote store's client, on an embedded store: 30 ms
    "orjson",  # the answers' JSON writer of the server and `--json`: 12-15 ms
    # the other commands' modules (api/cli.py COMMANDS): the assessment, report and browsing machinery
    "crosswalk.api.assess_cli", "crosswalk.api.report_cli", "crosswalk.api.browse_cli",
)  # fmt: skip

RUN = """
import json, sys
from crosswalk.api.cli import main
args, prefixes = json.loads(sys.argv[1]), tuple(json.loads(sys.argv[2]))
sys.argv = ["crosswalk", *args]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in sys.modules if m.startswith(prefixes))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _modules_after(args: list[str]) -> tuple[object, list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], report["heavy"], done.stdout


def test_compare_imports_no_validator_templates_pdf_or_sparql_engine(corpus_dir: Path) -> None:
    code, heavy, out = _modules_after(["compare", "EU", "US-CO", "--format", "json", "--store", str(corpus_dir)])
    assert code in (0, None), out
    assert json.loads(out)["a"] == "EU"  # the command did its whole work, findings included
    assert heavy == []


def test_the_check_itself_sees_heavy_imports(corpus_dir: Path, tmp_path: Path) -> None:
    # the same probe after `validate`, which does need the validator, finds it: the test above can fail
    rule_file = Path(__file__).parent / "data" / "excerpt.yaml"
    code, heavy, _ = _modules_after(["validate", str(rule_file)])
    assert code in (0, None)
    assert "pyshacl" in heavy and "crosswalk.graph.ingest" in heavy


def test_the_command_table_is_what_each_module_registers() -> None:
    # `main` imports a command's module by this table: a command missing from it would not exist
    import importlib

    import typer

    from crosswalk.api import cli

    for module, names in cli.COMMANDS.items():
        app = typer.Typer()
        importlib.import_module(f"crosswalk.api.{module}").register(app)
        assert tuple(c.name for c in app.registered_commands) == names, module


def test_help_lists_every_command(cli: Callable[..., Outcome]) -> None:
    from crosswalk.api.cli import COMMANDS

    outcome = cli("--help")
    assert outcome.code == 0
    for names in COMMANDS.values():
        for name in names:
            assert f" {name} " in outcome.out, name
