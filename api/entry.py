"""The `crosswalk` console script: the command line, started without Python's cyclic garbage
collector walking its imports.

Importing the command line makes a few hundred thousand objects (typer, pydantic, rich, rdflib,
the ontology) that live as long as the process. While they are made, each full collection walks
all of them again, and later collections keep walking them: measured on `crosswalk compare EU
US-CO`, 13 % of the process's CPU (0.54 against 0.47 s at a load average of 5; issue 18). So the
collector is paused while the modules import, and what they made is then frozen (moved where
collections never look) before it resumes. Reference counting frees memory as usual throughout;
only the process the script starts is affected, not code that imports `crosswalk.api.cli`.
"""

from __future__ import annotations

import gc


def main() -> None:
    """`crosswalk.api.cli.main`, imported with the collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from .cli import main as run
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    run()


__all__ = ["main"]
