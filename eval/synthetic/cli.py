"""`carnet samples generate`: write a synthetic corpus (PDFs + truth + labelled questions)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from .generator import generate_corpus


app = typer.Typer(help="Synthetic patient records: French medical PDFs with ground truth and labelled questions.",
                  no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Synthetic corpus commands (a callback keeps `generate` a sub-command)."""


@app.command()
def generate(out: Path = typer.Argument(..., help="Output directory (created if missing)."),
             patients: int = typer.Option(5, "--patients", "-n", min=1, help="Number of patients."),
             seed: int = typer.Option(7, "--seed", "-s", help="Random seed: same seed, same bytes.")) -> None:
    """Generate OUT/<patient>/<hex>.pdf, OUT/truth.jsonl, OUT/patients.jsonl and OUT/queries.jsonl.

    Example: carnet samples generate --patients 5 --seed 7 data/samples
    """
    # The generator renders with pymupdf (about 2 s to import): it loads for this command only, not for
    # every `carnet` command line that registers eval's plugin.
    console = Console(stderr=True)
    t0 = time.perf_counter()
    with Progress(TextColumn("[bold]patients"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console) as bar:
        task = bar.add_task("generate", total=patients)
        summary = generate_corpus(out, patients, seed, progress=lambda done, total: bar.update(task, completed=done))
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    console.print_json(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    app()
