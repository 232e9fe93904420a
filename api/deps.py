"""FastAPI dependencies: the Carnet instance built by create_app, reached through the request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from carnet.service import Carnet


def get_carnet(request: Request) -> Carnet:
    return request.app.state.carnet


CarnetDep = Annotated[Carnet, Depends(get_carnet)]
