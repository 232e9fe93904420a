"""eval's commands in the `carnet` command line, registered as a plugin (pyproject.toml, entry point group
`carnet.plugins`): `carnet eval` scores labelled questions, `carnet samples generate` writes the synthetic
corpus. The product never imports eval; the command line finds this module through the entry point.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from carnet.errors import CarnetError, InvalidInput
from cli import common
from cli.common import EmbedderOption, HomeOption, JsonOption
from eval.report import summary_text, write_report
from eval.runner import format_report, run_eval
from eval.synthetic.cli import app as samples_app


def evaluate(
    queries: Annotated[Path, typer.Argument(help="Labelled queries, one JSON object per line.")],
    output: Annotated[Optional[Path], typer.Option("--output", help="Write ranked results here (JSONL).")] = None,
    truth: Annotated[Optional[Path], typer.Option("--truth", help="Ground-truth metadata (JSONL) to score type, specialty, date.")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write a Markdown report with plots and the LangChain baselines here.")] = None,
    today: Annotated[str, typer.Option("--today", help="Reference date of the questions.")] = "2026-11-27",
    home: HomeOption = None,
    embedder: EmbedderOption = None,
    json_output: JsonOption = False,
) -> None:
    """Score labelled questions: top-1, MRR@10, recall@5, per kind and overall.

    Example: carnet eval eval/queries/samples.jsonl --truth data/samples/truth.jsonl
    """
    try:
        ref = date.fromisoformat(today)
    except ValueError as e:
        common.fail(InvalidInput(f"--today must be YYYY-MM-DD: {e}"))
    try:
        c = common.carnet(home, embedder, threads=1)
        if report is not None:
            command = "carnet " + " ".join(sys.argv[1:])
            result = write_report(c, queries, report, today=ref, truth=truth, command=command,
                                  echo=False)
            common.out.print(summary_text(result))
            common.out.print(f"Report written to {report / 'report.md'}")
            return
        result = run_eval(c, queries, today=ref, output=output, truth=truth)
    except CarnetError as e:
        common.fail(e)
    if json_output:
        common.out.print_json(data=result)
    else:
        common.out.print(format_report(result))


def register(app: typer.Typer) -> None:
    """The entry point of `carnet.plugins`: add `carnet eval` and `carnet samples` to the command line."""
    app.command("eval")(evaluate)
    app.add_typer(samples_app, name="samples", help="Generate the synthetic shared-record corpus.")
