"""Signing in, for tests: tokens from the store's own key and care-team grants (see tests/conftest.py).

Module-scoped fixtures that build their own Settings use these functions directly; function-scoped
tests use the `auth_headers` and `granted_client` fixtures.
"""

from __future__ import annotations

from typing import Iterable

# TestClient sends Host "testserver": test settings add it to the names the server answers to.
TEST_SERVER_NAMES = "localhost,127.0.0.1,::1,testserver"


def token_for(settings, practitioner: str = "dr-test", role: str = "practitioner", **claims) -> str:
    from service.auth import LocalIssuer

    return LocalIssuer(settings.home).issue(practitioner, role, audience=settings.auth_audience, **claims)


def grant(settings, practitioner: str, patients: Iterable[str]) -> None:
    from service.access import AccessControl
    from index.sqlite import SQLiteStore as Store

    control = AccessControl(Store(settings.home), settings)
    for patient in patients:
        control.grant(practitioner, patient)


def headers_for(settings, practitioner: str = "dr-test", patients: Iterable[str] = (), role: str = "practitioner",
                break_glass: str | None = None, **claims) -> dict[str, str]:
    """Authorization headers of a practitioner granted `patients` (an administrator with role=...)."""
    grant(settings, practitioner, patients)
    headers = {"Authorization": f"Bearer {token_for(settings, practitioner, role, **claims)}"}
    if break_glass is not None:
        headers["X-Carnet-Break-Glass"] = break_glass
    return headers
