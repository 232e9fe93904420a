"""FastAPI dependencies: the Carnet instance built by create_app, the caller, a break-glass reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from service.access import BREAK_GLASS_HEADER, MAX_REASON_CHARS, break_glass_reason
from service.auth import Principal
from carnet.errors import Unauthenticated
from service.facade import Carnet


# The dependencies are `async def` where they do no blocking work: a plain `def` dependency costs a trip
# through the thread pool, and under load each trip waits its turn behind other requests' work.


async def get_carnet(request: Request) -> Carnet:
    return request.app.state.carnet


CarnetDep = Annotated[Carnet, Depends(get_carnet)]

# auto_error=False: a missing token is our own 401 problem (with WWW-Authenticate), not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, scheme_name="bearer", bearerFormat="JWT",
                    description="An OpenID Connect access token (JWT) from the configured issuer, or one signed by "
                                "the store's own key (`carnet access token PRACTITIONER`).")


async def get_principal(c: CarnetDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
                        ) -> Principal:
    """The caller, from the `Authorization: Bearer` header only (never a cookie: no CSRF). A token verified
    before is answered from memory; a new one is checked in the thread pool (a signature, maybe the issuer's keys)."""
    if credentials is None or not credentials.credentials:
        raise Unauthenticated("This route needs a bearer token (Authorization: Bearer <token>).")
    return c.tokens.remembered(credentials.credentials) or await run_in_threadpool(c.tokens.verify,
                                                                                  credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_break_glass(
    reason: Annotated[str | None, Header(
        alias=BREAK_GLASS_HEADER, max_length=MAX_REASON_CHARS,
        description="Break-glass: the reason (non-empty) for opening a patient outside the care team, for a "
                    "limited time; traced and flagged. UTF-8, raw or percent-encoded.")] = None,
) -> str | None:
    return break_glass_reason(reason)


BreakGlassDep = Annotated[str | None, Depends(get_break_glass)]
