"""`carnet db start-embedded` / `stop-embedded`: a real PostgreSQL with pgvector, started from the wheel."""

from __future__ import annotations

import psycopg
import pytest
from typer.testing import CliRunner

from cli.main import app

pytestmark = [pytest.mark.postgres, pytest.mark.integration]


def test_start_prints_a_url_with_pgvector_and_stop_stops_it(tmp_path):
    runner = CliRunner()
    directory = tmp_path / "pg"
    started = runner.invoke(app, ["db", "start-embedded", "--dir", str(directory)])
    try:
        assert started.exit_code == 0, started.output
        url = started.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql://")
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
            # inner product of [1, 2] and [3, 4] is 11; pgvector's <#> is its negative
            assert conn.execute("SELECT '[1,2]'::vector <#> '[3,4]'::vector").fetchone()[0] == -11
        again = runner.invoke(app, ["db", "start-embedded", "--dir", str(directory)])
        assert again.exit_code == 0 and again.stdout.strip().splitlines()[-1] == url
    finally:
        stopped = runner.invoke(app, ["db", "stop-embedded", "--dir", str(directory)])
    assert stopped.exit_code == 0 and "stopped" in stopped.stdout
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    assert runner.invoke(app, ["db", "stop-embedded", "--dir", str(directory)]).exit_code == 0
