"""`carnet access ...` and `carnet audit`: tokens signed by the store's key, grants, the patient's trace."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.main import app

pytestmark = pytest.mark.unit
runner = CliRunner()


def test_token_grant_list_revoke_and_audit(settings):
    from carnet.config import Settings
    from service.facade import Carnet

    home = str(settings.home)
    token = runner.invoke(app, ["access", "token", "dr-cli", "--name", "Dr CLI", "--home", home])
    assert token.exit_code == 0, token.output
    jwt = token.output.strip().splitlines()[-1]  # the last line is the token
    principal = Carnet(Settings(home=settings.home)).tokens.verify(jwt)
    assert (principal.id, principal.role, principal.name) == ("dr-cli", "practitioner", "Dr CLI")

    assert runner.invoke(app, ["access", "grant", "dr-cli", "P0001", "P0002", "--home", home]).exit_code == 0
    listed = runner.invoke(app, ["access", "list", "--practitioner", "dr-cli", "--json", "--home", home])
    assert [g["patient"] for g in json.loads(listed.output)] == ["P0001", "P0002"]
    assert runner.invoke(app, ["access", "revoke", "dr-cli", "P0002", "--home", home]).exit_code == 0
    listed = runner.invoke(app, ["access", "list", "--practitioner", "dr-cli", "--json", "--home", home])
    assert [g["patient"] for g in json.loads(listed.output)] == ["P0001"]

    audit = runner.invoke(app, ["audit", "--patient", "P0002", "--json", "--home", home])
    assert audit.exit_code == 0, audit.output
    bundle = json.loads(audit.output)
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(bundle)
    actions = [e["resource"]["subtype"][0]["code"] for e in bundle["entry"]]
    assert actions == ["revoke", "grant"]  # newest first; reading the trace is audited after it is read
    table = runner.invoke(app, ["audit", "--patient", "P0002", "--home", home])
    assert table.exit_code == 0 and "revoke" in table.output


def test_bad_input_is_a_message_and_exit_2(settings):
    home = str(settings.home)
    bad_role = runner.invoke(app, ["access", "token", "dr-x", "--role", "superuser", "--home", home])
    assert bad_role.exit_code == 2 and "role must be one of" in bad_role.output
    assert runner.invoke(app, ["access", "grant", "dr-x", "--home", home]).exit_code == 2
    bad_patient = runner.invoke(app, ["access", "grant", "dr-x", "../etc", "--home", home])
    assert bad_patient.exit_code == 2 and "Invalid patient identifier" in bad_patient.output
