"""The HTTP API and the doctor's web page. `create_app(settings)` builds everything; nothing at import.

Every data route needs a bearer token (api/deps.py, service/auth.py) and checks the caller's access to
the patient (service/access.py: care-team grants, masking, break-glass), and every access is audited.
Errors are RFC 9457 problem details (api/problems.py: 401, 403, 404 unknown patient, document or route,
405, 413 upload too large, 422 bad request, 409 store built with another model), never a trace.
Under /fhir (api/fhir/routes.py, FHIR R4 DocumentReference and AuditEvent) errors are OperationOutcome.
Security headers, the Host check and CORS are api/hygiene.py; when serving, patient identifiers are
redacted from the access log (api/redact.py).
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import admin as admin_routes
from api.fhir import routes as fhir_routes
from api import hygiene, problems, redact, schemas
from api.deps import BreakGlassDep, CarnetDep, PrincipalDep
from api.middleware import AnswerUnexpectedErrors, RefuseEarly
from service.access import PatientAccess
from service.files import clean_stale, discover, scratch_dir, valid_patient_id, valid_source_name
from service.record import READING_KINDS, Asker, VisibleRecord, lab_trend_png, patient_synthesis, without
from carnet.config import Settings
from carnet.records import PatientSummary
from carnet.document_filter import DocumentFilter
from carnet.errors import (
    CarnetError,
    InvalidInput,
    NotFound,
    UnreadableDocument,
)
from service.serialize import answer_out, document_detail_out, document_out, patient_out
from service.facade import Carnet

log = logging.getLogger("carnet.api")
STATIC = Path(__file__).parent / "static"
UPLOAD_CHUNK = 1 << 20
UPLOAD_SLACK = 64 * 1024  # multipart headers around the file

_ERRORS = {404: {"model": schemas.ErrorResponse}, 422: {"model": schemas.ErrorResponse}}


class UploadTooLarge(CarnetError):
    status = 413


def _is_fhir(request: Request) -> bool:
    return request.url.path == "/fhir" or request.url.path.startswith("/fhir/")


def _returned(answer) -> list[str]:
    return [h.document.id for h in (*answer.documents, *answer.alternatives)]


def _asker(c: Carnet, access: PatientAccess, today: date | None) -> Asker:
    """The practitioner asking, for "depuis la dernière consultation": their id and name (the token's), and
    the day they last opened this record before today (the audit)."""
    p = access.principal
    return Asker(id=p.id, name=p.name, last_opened=c.access.last_opened(access, today or date.today()))


def _interpretation_without(c: Carnet, body: schemas.AskRequest, patient_id: str, visible):
    """The question's interpretation minus the chips the doctor removed (None: let ask() parse it). Read in
    the patient's record first, as ask() does (an ambiguous word the doctor did not settle)."""
    if not body.remove:
        return None
    literal = [chip.value for chip in body.remove if chip.kind in READING_KINDS]
    interp = c.searcher.interpret(body.question, body.today, literal=literal, patient_id=patient_id, visible=visible)
    for chip in body.remove:
        interp = without(interp, chip.kind, chip.value)
    return interp


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Queries run one embedding at a time; one engine thread keeps p95 stable when the other core is busy.
    carnet = Carnet(settings, embedder_threads=settings.threads)
    write_lock = threading.Lock()  # one writer (uploads); readers see committed documents only

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        redact.install()  # no patient identifier in the access log
        carnet.vectors  # noqa: B018 - refuse to start on a store built with another model
        carnet.searcher.warm_up()  # load the model now, not on the first doctor's question
        clean_stale(settings.home)  # scratch files of a process that died (uploads, OCR page images)
        # Chunks an ingest stored without vectors (`carnet ingest --defer-embedding`, an ingest still running
        # or one that crashed) are embedded here, in small batches, while questions are answered by words
        # and filters meanwhile. An upload embeds its own chunks before it answers.
        background = carnet.background_embedder()
        app.state.background_embedder = background
        background.start()
        yield
        background.stop()
        if "ingestor" in carnet.__dict__:
            carnet.ingestor.close()  # the document reader process of uploads

    app = FastAPI(
        title="Carnet",
        version="0.1.0",
        summary="Ask a patient's shared medical record a question in plain words.",
        description="Document types are LOINC codes (DMP typeCode), specialties G15_10/SMxx author specialty "
                    "codes, dates the date of the act (serviceStartTime). The patient is a hard filter on every call.",
        lifespan=lifespan,
        docs_url=None,  # served from local assets (api/hygiene.py)
        redoc_url=None,
    )
    app.state.carnet = carnet

    def refuse_oversized_uploads(request: Request) -> Response | None:
        """Refuse an upload by its declared length before its body is read and spooled to disk."""
        length = request.headers.get("content-length", "")
        if request.method == "POST" and length.isdigit() and int(length) > settings.max_upload_bytes + UPLOAD_SLACK:
            e = UploadTooLarge(f"The upload is {int(length):,} bytes, over the {settings.max_upload_bytes:,}-byte limit.")
            if _is_fhir(request):
                return fhir_routes.outcome_response(413, str(e), "too-costly")
            return problems.error_response(e)
        return None

    app.add_middleware(RefuseEarly, check=refuse_oversized_uploads)

    hygiene.install(app, settings)  # the Host check and security headers wrap everything, errors included
    problems.install_openapi(app)

    @app.exception_handler(CarnetError)
    async def carnet_error(request: Request, e: CarnetError):
        if _is_fhir(request):
            return fhir_routes.error_response(e)
        return problems.error_response(e)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        """Errors Starlette raises itself (malformed multipart body, unknown route, method): problem details."""
        if _is_fhir(request):
            response = fhir_routes.outcome_response(e.status_code, str(e.detail), "not-found" if e.status_code == 404
                                                    else "not-supported" if e.status_code == 405
                                                    else "invalid" if e.status_code < 500 else "exception")
            if e.status_code == 405:
                response.headers["Allow"] = ", ".join(problems.documented_methods(request.app, request.url.path))
            return response
        status, headers = e.status_code, getattr(e, "headers", None)
        if status == 405 and request.url.path.startswith("/v1/"):
            methods = problems.documented_methods(request.app, request.url.path)
            status, headers = (405, {"Allow": ", ".join(methods)}) if methods else (404, None)
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
        detail = {404: "Nothing here.", 405: "This method is not allowed on this path."}.get(status, str(e.detail))
        return problems.problem(status, code, detail, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, e: RequestValidationError):
        parts = []
        for err in e.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        if _is_fhir(request):
            return fhir_routes.outcome_response(400, "; ".join(parts), "invalid")
        return problems.problem(422, "invalid_request", "; ".join(parts))

    async def unexpected(request: Request, e: Exception):
        log.error("unexpected error on %s %s", request.method, redact.redact_url(request.url.path),
                  exc_info=(type(e), e, e.__traceback__))
        if _is_fhir(request):
            response = fhir_routes.outcome_response(500, "Internal error; it has been logged.", "exception")
        else:
            response = problems.problem(500, "internal_error", "Internal error; it has been logged.")
        hygiene.add_security_headers(request.url.path, response.headers)  # answered outside that middleware
        return response

    app.add_middleware(AnswerUnexpectedErrors, respond=unexpected)  # a bug's 500 keeps the connection open

    @app.get("/healthz", response_model=schemas.Health, tags=["service"])
    def healthz(c: CarnetDep):
        return {"status": "ok", **c.store.counts(), "embedder": c.embedder.name}

    @app.get("/v1/patients", response_model=list[schemas.PatientOut], tags=["patients"])
    def patients(c: CarnetDep, who: PrincipalDep, search: Annotated[str | None, Query(max_length=200)] = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 50):
        """The patients the caller may open whose identifier or name contains `search`: a practitioner's
        care-team grants (a patient opened by break-glass is not listed); every patient for an administrator."""
        found = c.access.patients(who, search, limit)
        c.access.record_admin(who, "patients", None, detail=f"{len(found)} listed")
        return [patient_out(p) for p in found]

    @app.get("/v1/patients/{patient_id}", response_model=schemas.PatientOut, responses=_ERRORS, tags=["patients"])
    def patient(patient_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """One patient (to open a patient outside the care team with `X-Carnet-Break-Glass`)."""
        access = c.access.open_patient(who, patient_id, "patient", reason)
        name = c.store.patient(patient_id).name  # UnknownPatient
        visible = c.access.visible_rows(access, c.store.documents(patient_id))
        c.access.record(access, "patient")
        latest = max((r.service_date for r in visible if r.service_date), default=None)
        return patient_out(PatientSummary(id=patient_id, name=name, document_count=len(visible), latest_date=latest))

    @app.post("/v1/patients/{patient_id}/ask", response_model=schemas.AnswerOut, responses=_ERRORS, tags=["ask"])
    def ask(patient_id: str, body: schemas.AskRequest, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """Ask one patient's record a question ("dernier compte rendu de cardiologie", "latest HbA1c").

        `documents` holds only documents that answer the question; when nothing matches, `message` is
        "no-match" and `alternatives` offers the closest documents, labelled as such."""
        access = c.access.open_patient(who, patient_id, "ask", reason, question=body.question)
        interp = _interpretation_without(c, body, patient_id, access.visible)
        answer = c.searcher.ask(patient_id, body.question, top_k=body.top_k, today=body.today,
                                interpretation=interp, summarize=body.summary, visible=access.visible,
                                asker=_asker(c, access, body.today))
        c.access.record(access, "ask", question=body.question, document_ids=_returned(answer))
        return answer_out(answer, body.language)

    @app.post("/v1/patients/{patient_id}/ask/stream", responses=_ERRORS, tags=["ask"],
              response_class=StreamingResponse)
    def ask_stream(patient_id: str, body: schemas.AskRequest, c: CarnetDep, who: PrincipalDep,
                   reason: BreakGlassDep):
        """The same answer as `/ask`, as server-sent events, for a summary that takes time to generate:
        `answer` (documents, no summary) at once, then `summary-estimate` ({"seconds"}), then `summary`
        when it is written, then `done`. Errors before the first event are problem details."""
        access = c.access.open_patient(who, patient_id, "ask", reason, question=body.question)
        interp = _interpretation_without(c, body, patient_id, access.visible)
        answer = c.searcher.ask(patient_id, body.question, top_k=body.top_k, today=body.today,
                                interpretation=interp, summarize=False, visible=access.visible,
                                asker=_asker(c, access, body.today))
        c.access.record(access, "ask", question=body.question, document_ids=_returned(answer))

        def events():
            def event(name: str, data) -> str:
                return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
            yield event("answer", answer_out(answer, body.language).model_dump(mode="json"))
            seconds = c.searcher.summary_estimate(answer) if body.summary else None
            if seconds is not None:
                yield event("summary-estimate", {"seconds": round(seconds, 2)})
                full = c.searcher.summarize(answer)
                yield event("summary", answer_out(full, body.language).model_dump(mode="json")["summary"])
            yield event("done", {})

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/v1/patients/{patient_id}/documents", response_model=list[schemas.DocumentOut], responses=_ERRORS,
             tags=["documents"])
    def patient_documents(patient_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep,
                          include_noise: bool = True):
        """A patient's documents, most recent act first."""
        access = c.access.open_patient(who, patient_id, "documents", reason)
        listed = DocumentFilter(noise="include" if include_noise else "exclude")  # duplicates listed, flagged
        rows = listed.select(c.access.visible_rows(access, c.store.documents(patient_id)))
        c.access.record(access, "documents", document_ids=[r.id for r in rows])
        return [document_out(r) for r in rows]

    @app.post("/v1/patients/{patient_id}/documents", response_model=schemas.IngestOut, status_code=201,
              responses={**_ERRORS, 413: {"model": schemas.ErrorResponse}}, tags=["documents"])
    def upload(patient_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep,
               file: Annotated[UploadFile, File(description="A PDF, a CDA R2 document (.xml) or an IHE XDM ZIP (.zip)")]):
        """Add a PDF, a CDA R2 document (level 1 or 3) or a whole IHE XDM export (ZIP) to a patient's record
        (extracted, understood and indexed at once): an administrator, or a practitioner of the patient's care
        team. A ZIP's documents that cannot be read are listed in `failed` with their reason; the others are
        added (201). A single file that cannot be read is a 422."""
        pid = valid_patient_id(patient_id)
        access = (PatientAccess(who, pid) if who.role == "administrator"
                  else c.access.open_patient(who, pid, "upload", reason))
        # The client's name is a label (the document's source), never a path on disk: the file is received
        # as "upload.<suffix>" in a scratch folder inside the store.
        name = valid_source_name((file.filename or "upload.pdf").replace("\\", "/").rsplit("/", 1)[-1].strip())
        suffix = Path(name).suffix.lower()
        if suffix not in (".pdf", ".xml", ".zip") or not Path(name).stem.strip():
            raise UnreadableDocument(f"{name!r} is not a .pdf, .xml (CDA) or .zip (IHE XDM) file.")
        with scratch_dir(settings.home, "upload") as tmp:
            path = tmp / f"upload{suffix}"
            size = 0
            with path.open("wb") as fh:
                while block := file.file.read(UPLOAD_CHUNK):
                    size += len(block)
                    if size > settings.max_upload_bytes:
                        raise UploadTooLarge(f"{name!r} is over the {settings.max_upload_bytes:,}-byte limit.")
                    fh.write(block)
            files = [replace(f, source=f"{pid}/uploads/{name}" + (f"/{f.member}" if f.member else ""))
                     for f in discover(path, pid, settings.max_upload_bytes)]
            with write_lock:
                report = c.ingestor.ingest(files)
        if report.failed and (suffix != ".zip" or not (report.added or report.unchanged or report.duplicates)):
            raise UnreadableDocument(report.failed[0][1])
        out = report.as_dict()
        added = [r for r in c.store.documents(pid) if r.source in set(report.added)]
        c.access.record(access, "upload", document_ids=[r.id for r in added])
        out["documents"] = [document_out(r) for r in added]
        return out

    @app.get("/v1/patients/{patient_id}/summary", responses=_ERRORS, tags=["patients"])
    def patient_summary(patient_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep,
                        language: str = "fr"):
        """The patient synthesis: latest document of each type, current medications, allergies, known
        problems, latest and out-of-range lab values with their trend; every item cites document and page."""
        access = c.access.open_patient(who, patient_id, "summary", reason)
        record = VisibleRecord.of(c.store, access)
        out = patient_synthesis(record, patient_id, language)
        c.access.record(access, "summary", document_ids=[r.id for r in record.documents(patient_id)])
        return out

    @app.get("/v1/patients/{patient_id}/labs/{analyte}.png", response_class=Response, responses=_ERRORS,
             tags=["patients"])
    def lab_trend(patient_id: str, analyte: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """A small plot of one analyte over time, its reference range shaded."""
        access = c.access.open_patient(who, patient_id, "lab-plot", reason)
        png = lab_trend_png(VisibleRecord.of(c.store, access), patient_id, analyte)
        c.access.record(access, "lab-plot", detail=analyte[:64])
        return Response(png, media_type="image/png")

    @app.get("/v1/documents/{document_id}", response_model=schemas.DocumentDetailOut, responses=_ERRORS,
             tags=["documents"])
    def document(document_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """Everything known about one document (its patient must be open to the caller)."""
        access, row = c.access.open_document(who, document_id, "document", reason)
        c.access.record(access, "document", document_ids=[row.id])
        return document_detail_out(row)

    @app.get("/v1/documents/{document_id}/pdf", response_class=FileResponse, responses=_ERRORS, tags=["documents"])
    def document_pdf(document_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """The PDF itself, as an attachment (the page fetches it with its token and opens it at a page)."""
        access, doc = c.access.open_document(who, document_id, "pdf", reason)
        path = c.store.pdf_path(doc.id)
        if not path.exists():
            raise NotFound(f"The PDF of document {document_id!r} is missing from the store.")
        c.access.record(access, "pdf", document_ids=[doc.id])
        return FileResponse(path, media_type="application/pdf",
                            headers={"Content-Disposition": f'attachment; filename="{doc.id}.pdf"'})

    @app.get("/v1/documents/{document_id}/source", response_class=FileResponse, responses=_ERRORS,
             tags=["documents"])
    def document_source(document_id: str, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
        """The original file when the PDF is Carnet's rendering of it (a structured CDA's XML); else the PDF."""
        access, doc = c.access.open_document(who, document_id, "source", reason)
        path = c.store.original_path(doc.id)
        c.access.record(access, "source", document_ids=[doc.id])
        if path is None:
            path = c.store.pdf_path(doc.id)
            if not path.exists():
                raise NotFound(f"The PDF of document {document_id!r} is missing from the store.")
            return FileResponse(path, media_type="application/pdf",
                                headers={"Content-Disposition": f'attachment; filename="{doc.id}.pdf"'})
        return FileResponse(path, media_type="application/xml",
                            headers={"Content-Disposition": f'attachment; filename="{doc.id}{path.suffix}"'})

    app.include_router(admin_routes.router)
    app.include_router(fhir_routes.router)
    hygiene.install_docs(app)

    if STATIC.is_dir() and (STATIC / "index.html").exists():
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="web")
    return app


def create_app_from_environment() -> FastAPI:
    """The app of one of several server processes (`carnet serve --workers N`): settings from CARNET_*."""
    return create_app(Settings())
