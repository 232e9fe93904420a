"""`carnet ...`: a thin command line over the service layer. Errors become a message and an exit code
(cli/common.py). Commands of other distributions (eval's `carnet eval` and `carnet samples`) are plugins:
entry points of the group `carnet.plugins`, each a function that registers its commands on the app.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from carnet.errors import CarnetError, InvalidInput
from cli import access, common, db
from cli.common import EmbedderOption, HomeOption, JsonOption
from cli.progress import TenthsReporter
from cli.serve import APP, Supervisor, listen_socket
from service.facade import Carnet
from service.files import discover, printable_source, read_patient_names
from service.record import patient_synthesis
from service.serialize import answer_out, document_detail_out

PLUGIN_GROUP = "carnet.plugins"

app = typer.Typer(help="Carnet: ask a patient's shared medical record a question in plain words.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A folder laid out <root>/<patient_id>/**/*.pdf, or one file.")],
    patient: Annotated[Optional[str], typer.Option("--patient", help="Patient identifier (required for a single file).")] = None,
    home: HomeOption = None,
    embedder: EmbedderOption = None,
    json_output: JsonOption = False,
    defer_embedding: Annotated[bool, typer.Option(
        "--defer-embedding", help="Store the documents for search by type, date and words only, and leave their "
                                  "embedding to `carnet serve` (which embeds in the background) or the next ingest.")] = False,
) -> None:
    """Extract, understand, chunk, store and embed PDFs, CDA R2 .xml documents (level 1 or 3) and IHE XDM .zip exports.

    Every file is stored first (a server answers questions on it by type, date and words at once), then the
    chunks are embedded (with those an interrupted run left).
    Example: carnet ingest data/samples ; carnet ingest record.zip --patient P0001
    """
    c = None
    try:
        c = common.carnet(home, embedder)
        files = discover(path, patient, c.settings.max_upload_bytes)
        with Progress(TextColumn("[bold]Ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=common.console, disable=json_output) as bar:
            task = bar.add_task("", total=len(files))
            names = read_patient_names(path) if path.is_dir() and patient is None else {}
            names = {p: n for p, n in names.items() if p in {f.patient_id for f in files}}
            # Not a terminal (a log file): one line per tenth, with the time left, instead of the live bar.
            tenths = None if json_output or common.console.is_terminal else TenthsReporter(
                len(files), lambda line: common.console.print(f"Ingesting: {line}", highlight=False, soft_wrap=True))

            def advance(f):
                bar.update(task, advance=1, description=printable_source(f.source))
                if tenths is not None:
                    tenths.advance()

            report = c.ingestor.ingest(files, progress=advance, patient_names=names, embed=False)
            waiting = c.store.pending_count()
            if waiting and not defer_embedding:
                embedding = bar.add_task("", total=waiting)
                tenths = None if json_output or common.console.is_terminal else TenthsReporter(
                    waiting, lambda line: common.console.print(f"Embedding: {line}", highlight=False, soft_wrap=True),
                    what="chunks")

                def embedded(n: int) -> None:
                    bar.update(embedding, advance=n, description="embedding")
                    if tenths is not None:
                        tenths.advance(n)

                c.ingestor.embed_pending(report, embedded)
                report.pending = c.store.pending_count()
    except CarnetError as e:
        common.fail(e)
    finally:
        if c is not None and "ingestor" in c.__dict__:
            c.ingestor.close()  # the document reader process and its scratch folder
    if json_output:
        common.out.print_json(data=report.as_dict())
    else:
        common.out.print(f"added {len(report.added)} · unchanged {len(report.unchanged)} · duplicates {len(report.duplicates)}"
                  f" · failed {len(report.failed)}  ({report.pages} pages, {report.chunks} chunks,"
                  f" {report.ocr_pages} OCR pages)")
        if report.pending:
            common.out.print(f"  {report.pending} chunks wait for their vectors: `carnet serve` embeds them in the "
                             "background (until then questions are answered by type, date and words)")
        for source, reason in report.failed:
            common.out.print(f"  [red]failed[/] {source}: {reason}")
        for source, original in report.duplicates:
            common.out.print(f"  [yellow]duplicate[/] {source} = {original}")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in French or English.")],
    patient: Annotated[str, typer.Option("--patient", help="Patient identifier.")],
    top_k: Annotated[int, typer.Option("--top-k", help="Documents to return (1-100).")] = 5,
    today: Annotated[Optional[str], typer.Option("--today", help="Reference date for 'last year', YYYY-MM-DD.")] = None,
    no_summary: Annotated[bool, typer.Option("--no-summary", help="Skip the summary.")] = False,
    home: HomeOption = None,
    embedder: EmbedderOption = None,
    json_output: JsonOption = False,
) -> None:
    """Ask one patient's record a question.

    Example: carnet ask --patient P0001 "dernier compte rendu de cardiologie"
    """
    try:
        ref = date.fromisoformat(today) if today else None
        answer = common.carnet(home, embedder, threads=1).searcher.ask(patient, question, top_k=top_k, today=ref,
                                                                   summarize=not no_summary)
    except ValueError as e:
        common.fail(InvalidInput(f"--today must be YYYY-MM-DD: {e}"))
    except CarnetError as e:
        common.fail(e)
    data = answer_out(answer).model_dump(mode="json")
    if json_output:
        common.out.print_json(data=data)
        return
    chips = ", ".join(ch["label"] for ch in data["interpretation"].get("chips", [])) or "—"
    common.out.print(f"[dim]Understood:[/] {chips}")
    if not data["documents"]:
        common.out.print("[bold yellow]No document in this record answers the question.[/]")
    _print_hits(data["documents"])
    if data["alternatives"]:
        common.out.print("[dim]Closest documents (they do not match every filter):[/]")
        _print_hits(data["alternatives"])
    if data["summary"]:
        common.out.print(f"\n[bold]Summary[/] ({data['summary']['mode']})")
        sources = {h["id"]: h["source"] for h in data["documents"]}
        for s in data["summary"]["sentences"]:
            where = sources.get(s["document_id"], s["document_id"][:8])
            common.out.print(f"- {escape(s['text'])} [dim]\\[{where} p.{s['page']}][/]")
    common.out.print(f"[dim]{data['timings_ms'].get('total', 0):.0f} ms[/]")


def _print_hits(hits: list[dict]) -> None:
    for h in hits:
        kind = " · ".join(x for x in ((h["type"] or {}).get("label"), (h["specialty"] or {}).get("label")) if x)
        common.out.print(f"[bold]{h['rank']}. {h['date'] or '????-??-??'}[/]  {kind or '?'}  [dim]{h['source']} p.{h['page']}[/]")
        if h["snippet"]:
            common.out.print(f"   [italic]{h['snippet'][:220]}[/]", highlight=False)


@app.command()
def documents(
    patient: Annotated[str, typer.Option("--patient", help="Patient identifier.")],
    home: HomeOption = None,
    json_output: JsonOption = False,
) -> None:
    """List a patient's documents with their metadata, most recent act first.

    Example: carnet documents --patient P0001 --json
    """
    try:
        rows = Carnet(common.settings(home)).store.documents(patient)
    except CarnetError as e:
        common.fail(e)
    data = [document_detail_out(r).model_dump(mode="json") for r in rows]
    if json_output:
        common.out.print_json(data=data)
        return
    table = Table()
    for col in ("date", "type", "specialty", "title", "source", "flags"):
        table.add_column(col, overflow="fold")
    for d in data:
        flags = " ".join(f for f, on in (("noise", d["is_noise"]), ("duplicate", d["canonical_id"]),
                                         ("ocr", d["ocr"]["pages"])) if on)
        table.add_row(d["date"] or "?", (d["type"] or {}).get("label") or "?", (d["specialty"] or {}).get("label") or "",
                      d["title"] or "", d["source"], flags)
    common.out.print(table)


@app.command()
def summary(
    patient: Annotated[str, typer.Option("--patient", help="Patient identifier.")],
    home: HomeOption = None,
    json_output: JsonOption = False,
) -> None:
    """The patient synthesis: latest document of each type, medications, allergies, problems, lab trends.

    Every item cites its source document and page.
    Example: carnet summary --patient P0001 --json
    """
    try:
        data = patient_synthesis(Carnet(common.settings(home)).store, patient)
    except CarnetError as e:
        common.fail(e)
    if json_output:
        common.out.print_json(data=data)
        return
    def cite(item: dict) -> str:
        return f"[dim]{(item.get('document_id') or '')[:8]} p.{item.get('page')}[/]"
    common.out.print("[bold]Derniers documents[/]")
    for d in data.get("latest_documents", []):
        common.out.print(f"  {d['date'] or '?'}  {d['type_label']}  {d['title'] or ''}  {cite(d)}")
    current = data.get("current_treatment")
    treatment_title = f"Traitement en cours (énoncé du {current['date']})" if current and current["date"] else "Traitement en cours"
    if data.get("allergy_contradictions"):
        common.out.print("[bold red]Allergies : les documents se contredisent[/]")
    for title, key, field in ((treatment_title, "medications", "line"), ("Allergies", "allergies", "text"),
                              ("Problèmes connus", "problems", "text")):
        common.out.print(f"[bold]{title}[/]")
        for item in data[key]:
            common.out.print(f"  {item.get(field)}  {cite(item)}")
        if key == "allergies" and not data[key]:
            common.out.print("  non renseignées dans les documents")
    common.out.print("[bold]Biologie[/]")
    for lab in data["labs"]:
        flag = f" [red]{lab['flag']}[/]" if lab["flag"] else ""
        common.out.print(f"  {lab['label']}: {lab['value']} {lab['unit'] or ''}{flag} ({lab['date']}, {lab['direction'] or ''})"
                  f"  {cite(lab)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", help="Server processes sharing the store (default: $CARNET_WORKERS or 2).")] = None,
    home: HomeOption = None,
    embedder: EmbedderOption = None,
) -> None:
    """Serve the API (/v1, OpenAPI at /docs) and the doctor's web page (/).

    Several worker processes answer in parallel, each with one embedding thread and its share of the
    vector cache (CARNET_VECTOR_CACHE_BYTES / workers); they share the SQLite store (WAL) and the
    per-patient vector files. This process accepts the connections and deals them to the workers in
    turn, so that each serves as many doctors (cli/serve.py).
    Example: carnet serve --port 8000 --workers 2
    """
    import uvicorn  # the server's stack loads only for `serve`

    settings = common.settings(home, embedder)
    if host not in ("0.0.0.0", "::") and host.strip("[]").lower() not in settings.allowed_hosts:
        # the interface it listens on is a name it answers to (others: CARNET_SERVER_NAMES)
        settings = settings.model_copy(update={"server_names": f"{settings.server_names},{host}"})
    n = settings.workers if workers is None else workers
    if not 1 <= n <= 32:
        common.fail(InvalidInput(f"--workers must be between 1 and 32. Currently, --workers is {n}"))
    # Each worker process builds its own app from the environment (uvicorn imports the adapter by name, so
    # the command line does not import the HTTP adapter).
    os.environ.update({"CARNET_HOME": str(settings.home.resolve()), "CARNET_EMBEDDER": settings.embedder,
                       "CARNET_VECTOR_CACHE_BYTES": str(max(1, settings.vector_cache_bytes // n)),
                       "CARNET_SERVER_NAMES": settings.server_names})
    if n == 1:
        uvicorn.run(APP, factory=True, host=host, port=port, log_level="info")
        return
    try:
        listener = listen_socket(host, port)
    except OSError as e:
        common.fail(InvalidInput(f"Cannot listen on {host}:{port}: {e.strerror or e}"))
    raise typer.Exit(Supervisor(n, listener, log_level="info").run())


def register_plugins(group: str = PLUGIN_GROUP) -> list[str]:
    """Add the commands of every installed plugin (an entry point `name = "module:register"` of `group`,
    where `register(app)` adds its commands); returns the plugins' names."""
    names = []
    for plugin in entry_points(group=group):
        plugin.load()(app)
        names.append(plugin.name)
    return names


register_plugins()
access.register(app)  # carnet access ..., carnet audit
db.register(app)  # carnet db start-embedded / stop-embedded


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    sys.exit(main())
