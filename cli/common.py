"""What every `carnet` command shares: the consoles, the --home / --embedder / --json options, the settings
they override, the service they build, and the mapping of errors to a message and an exit code.

Exit codes: 0 ok, 1 some files failed to ingest, 2 bad input, 3 not found, 4 store/model mismatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from carnet.config import Settings
from carnet.errors import CarnetError, IndexMismatch, NotFound
from service.facade import Carnet

console = Console(stderr=True)
out = Console()

HomeOption = Annotated[Optional[Path], typer.Option("--home", help="Store directory (default: $CARNET_HOME or ./.carnet).")]
EmbedderOption = Annotated[Optional[str], typer.Option(
    "--embedder", help="e5 (default), minilm, hashing, or a sentence-transformers model folder.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def settings(home: Path | None, embedder: str | None = None) -> Settings:
    """Settings from the environment, with the command line's --home / --embedder on top."""
    overrides = {k: v for k, v in {"home": home, "embedder": embedder}.items() if v is not None}
    return Settings(**overrides)


def carnet(home: Path | None, embedder: str | None, threads: int | None = None) -> Carnet:
    return Carnet(settings(home, embedder), embedder_threads=threads)


def store_home(home: Path | None) -> Path:
    return settings(home).home


def fail(e: CarnetError) -> NoReturn:
    console.print(f"[bold red]Error:[/] {escape(str(e))}")  # a message may hold brackets ('.[minilm]')
    code = 3 if isinstance(e, NotFound) else 4 if isinstance(e, IndexMismatch) else 2
    raise typer.Exit(code)
