"""Patient identifiers out of the server's logs.

uvicorn's access log writes each request's path and query string, and Carnet's URLs name the patient
(`/v1/patients/P0001/ask`, `/fhir/DocumentReference?patient=P0001`, `/v1/patients?search=Dupont`).
`redact_url` replaces those values with a short tag, `pid-` and 8 hex characters of an HMAC keyed
by a random secret drawn when the process starts and never written anywhere: the same patient gets
the same tag for the life of the process (requests can be followed), but a tag cannot be turned back
into an identifier, even by trying every P0001..P9999 (a plain hash could).

`install()` attaches `RedactPatientIds` to the `uvicorn.access` logger; the app calls it when it
starts serving (its lifespan), so `carnet serve`, `make run` and any uvicorn command get it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from urllib.parse import unquote

_SECRET = secrets.token_bytes(32)
# The path segment after /patients/ (or FHIR's /Patient/).
_PATH_ID = re.compile(r"(/(?:patients|patient)/)([^/?#\s\"]+)", re.IGNORECASE)
# A query parameter: key=value, up to the next & ; # or white space (log lines quote the path).
_QUERY_PARAM = re.compile(r"(?P<lead>[?&;])(?P<key>[^=&;#\s\"]+)=(?P<value>[^&;#\s\"]*)")
# Query keys whose value names a patient (with FHIR chains and modifiers: patient.identifier, subject:Patient).
_PATIENT_KEYS = {"patient", "subject", "search", "patient_id", "patientid"}


def patient_tag(value: str) -> str:
    """A short non-reversible tag for one patient identifier, stable for this process only."""
    ident = unquote(value).strip()
    ident = ident.rsplit("|", 1)[-1]  # patient.identifier=system|value
    ident = ident.rsplit("/", 1)[-1]  # Patient/P0001
    return "pid-" + hmac.new(_SECRET, ident.encode(), hashlib.sha256).hexdigest()[:8]


def redact_url(text: str) -> str:
    """`text` with every patient identifier in a URL path or query replaced by its tag."""
    if not text:
        return text

    def query(m: re.Match) -> str:
        key = unquote(m.group("key")).lower()
        root = re.split(r"[.:]", key, maxsplit=1)[0]
        if root not in _PATIENT_KEYS or not m.group("value") or m.group("value").startswith("pid-"):
            return m.group(0)
        return f"{m.group('lead')}{m.group('key')}={patient_tag(m.group('value'))}"

    text = _QUERY_PARAM.sub(query, text)
    return _PATH_ID.sub(lambda m: m.group(1) + (m.group(2) if m.group(2).startswith("pid-") else patient_tag(m.group(2))),
                        text)


class RedactPatientIds(logging.Filter):
    """Rewrites a record's string arguments (uvicorn's access log passes the path as one) and its
    message, so no handler or formatter downstream ever sees a patient identifier."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_url(v) if isinstance(v, str) else v for k, v in record.args.items()}
        if isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        return True


ACCESS_LOGGERS = ("uvicorn.access",)


def install(logger_names: tuple[str, ...] = ACCESS_LOGGERS) -> None:
    """Attach the filter to the access logger(s), once. Logger filters survive uvicorn's logging set-up."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactPatientIds) for f in logger.filters):
            logger.addFilter(RedactPatientIds())
