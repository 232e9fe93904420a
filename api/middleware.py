"""ASGI middleware. Written against ASGI itself rather than Starlette's BaseHTTPMiddleware, which runs each
request through a task group and memory streams: two of those were a sixth of a busy server's time.

The last line of defence against a bug: an unexpected exception becomes a 500 JSON answer here, and the
client's keep-alive connection stays open.

Starlette's own handler for `Exception` (ServerErrorMiddleware) sends the 500 and then re-raises, "so
that servers can log the error": uvicorn then sees an exception after a response and closes the
connection, so a client's next request on that connection failed. This middleware sits inside it,
answers, logs once, and does not re-raise. A failure after a response has started (mid-stream) cannot be
answered any more and is passed on, which does close that connection.
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("carnet.api")


class RefuseEarly:
    """Answers a request from its method, path and headers alone when `check` returns a response (a refusal
    before the body is read); passes it on otherwise."""

    def __init__(self, app: ASGIApp, check: Callable[[Request], Response | None]):
        self.app = app
        self.check = check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            response = self.check(Request(scope))
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class AnswerUnexpectedErrors:
    def __init__(self, app: ASGIApp, respond: Callable[[Request, Exception], Awaitable[Response]]):
        self.app = app
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception as e:
            if started:
                raise
            response = await self.respond(Request(scope), e)
            await response(scope, receive, send)
