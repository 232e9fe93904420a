"""`carnet access ...` and `carnet audit`: the local administrator's tools (they act on the store directly).

`carnet access token PRACTITIONER` prints a token signed by the store's own key (its last line is the
token), `grant` / `revoke` / `list` manage care-team grants, `carnet audit --patient P` prints a
patient's access trace. Every change made here is itself written to the audit log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from carnet.errors import CarnetError, InvalidInput
from cli import common
from cli.common import HomeOption
from service.facade import Carnet
from service.serialize import grant_out
from service.audit_fhir import audit_bundle
from service.auth import LOCAL_ADMINISTRATOR, ROLES, LocalIssuer

access_app = typer.Typer(help="Care-team grants and sign-in tokens (a local administrator's tool).",
                         no_args_is_help=True)


def _access(home: Path | None):
    return Carnet(common.settings(home)).access


@access_app.command("token")
def token(
    practitioner: Annotated[str, typer.Argument(help="The practitioner's identifier (RPPS or any stable id).")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")] = "practitioner",
    name: Annotated[Optional[str], typer.Option("--name", help="Display name put in the token.")] = None,
    hours: Annotated[Optional[float], typer.Option("--hours", help="Lifetime (default: $CARNET_TOKEN_HOURS, 12).")] = None,
    patient: Annotated[Optional[str], typer.Option("--patient", help="For --role patient: whose trace it reads.")] = None,
    home: HomeOption = None,
) -> None:
    """Print a bearer token signed by the store's own key (the last line of the output is the token).

    The key is created at first use in <home>/auth/signing-key.pem (0600).
    Example: carnet access token 10003456789 --name "Dr Martin"
    """
    try:
        settings = common.settings(home)
        issued = LocalIssuer(settings.home).issue(practitioner, role, name=name, hours=hours or settings.token_hours,
                                                  audience=settings.auth_audience, patient_id=patient)
    except CarnetError as e:
        common.fail(e)
    if not settings.trusts_local_tokens:
        common.console.print("[yellow]Warning:[/] this server trusts CARNET_AUTH_ISSUER only; set CARNET_AUTH_LOCAL=true "
                          "to accept tokens signed by the store's key.")
    common.console.print(f"Token for {role} {practitioner}, valid {hours or settings.token_hours:g} h:")
    print(issued)


@access_app.command("grant")
def grant(
    practitioner: Annotated[str, typer.Argument(help="The practitioner's identifier (the token's subject).")],
    patients: Annotated[Optional[list[str]], typer.Argument(help="Patient identifiers.")] = None,
    all_patients: Annotated[bool, typer.Option("--all", help="Every patient the store holds.")] = False,
    home: HomeOption = None,
) -> None:
    """Put a practitioner in patients' care teams.

    Example: carnet access grant 10003456789 P0001 P0002
    """
    try:
        control = _access(home)
        targets = list(patients or [])
        if all_patients:
            targets += [p.id for p in control.store.iter_patients()]
        if not targets:
            raise InvalidInput("The store holds no patient yet: ingest first." if all_patients
                               else "Name at least one patient, or --all.")
        new = sum(control.grant(practitioner, p) for p in dict.fromkeys(targets))
    except CarnetError as e:
        common.fail(e)
    common.out.print(f"{practitioner}: {new} new grant(s), {len(set(targets)) - new} already held")


@access_app.command("revoke")
def revoke(
    practitioner: Annotated[str, typer.Argument(help="The practitioner's identifier.")],
    patients: Annotated[list[str], typer.Argument(help="Patient identifiers.")],
    home: HomeOption = None,
) -> None:
    """Take a practitioner out of patients' care teams.

    Example: carnet access revoke 10003456789 P0002
    """
    try:
        control = _access(home)
        gone = sum(control.revoke(practitioner, p) for p in dict.fromkeys(patients))
    except CarnetError as e:
        common.fail(e)
    common.out.print(f"{practitioner}: {gone} grant(s) revoked")


@access_app.command("list")
def list_grants(
    practitioner: Annotated[Optional[str], typer.Option("--practitioner", help="Only this practitioner.")] = None,
    patient: Annotated[Optional[str], typer.Option("--patient", help="Only this patient.")] = None,
    home: HomeOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List care-team grants.

    Example: carnet access list --patient P0001
    """
    try:
        rows = [grant_out(g).model_dump(mode="json") for g in _access(home).store.grants(practitioner, patient, limit=100_000)]
    except CarnetError as e:
        common.fail(e)
    if json_output:
        common.out.print_json(data=rows)
        return
    table = Table()
    for col in ("practitioner", "patient", "granted_by", "granted_at"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r[k]) for k in ("practitioner", "patient", "granted_by", "granted_at")))
    common.out.print(table)


def audit(
    patient: Annotated[str, typer.Option("--patient", help="Patient identifier.")],
    limit: Annotated[int, typer.Option("--limit", help="Most recent events to show.")] = 100,
    home: HomeOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print FHIR AuditEvent resources (a Bundle).")] = False,
) -> None:
    """A patient's access trace: who opened the record, when, what was asked and seen, break-glass.

    Example: carnet audit --patient P0001 --json
    """
    try:
        if not 1 <= limit <= 10_000:
            raise InvalidInput(f"--limit must be between 1 and 10000. Currently, it is {limit}")
        total, events = _access(home).audit_trail(LOCAL_ADMINISTRATOR, patient, limit=limit)
    except CarnetError as e:
        common.fail(e)
    if json_output:
        print(json.dumps(audit_bundle(events, total, "urn:carnet:local/"), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{patient}: {total} event(s)")
    for col in ("when", "who", "role", "action", "outcome", "break-glass", "documents", "question"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(e.recorded_at or "", e.actor or "", e.actor_role or "", e.action, e.outcome,
                      e.reason if e.break_glass else "", str(len(e.document_ids)), e.question or "")
    common.out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(access_app, name="access")
    app.command("audit")(audit)
