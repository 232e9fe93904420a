"""Administration routes: care-team grants. Administrators only (an administrator reads no document)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api import schemas
from api.deps import CarnetDep, PrincipalDep
from carnet.errors import NotFound
from service.serialize import grant_out

router = APIRouter(prefix="/v1/admin", tags=["administration"])


@router.get("/grants", response_model=list[schemas.GrantOut])
def grants(c: CarnetDep, who: PrincipalDep, practitioner: str | None = None, patient: str | None = None,
           limit: Annotated[int, Query(ge=1, le=10_000)] = 1000):
    """Care-team grants, filtered by practitioner and/or patient."""
    c.access.require_administrator(who, "grants", patient)
    return [grant_out(g) for g in c.access.store.grants(practitioner, patient, limit)]


# What a grant may name (the CLI and the library check the same): a practitioner's identifier is one word,
# a patient's is 1-64 letters, digits, '-', '_' or '.'.
Practitioner = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$")]
PatientId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")]


@router.put("/grants/{practitioner}/{patient_id}", response_model=schemas.GrantOut, status_code=200)
def grant(practitioner: Practitioner, patient_id: PatientId, c: CarnetDep, who: PrincipalDep):
    """Put the practitioner in the patient's care team (idempotent; audited)."""
    c.access.grant(practitioner, patient_id, by=who)
    return grant_out(c.access.store.grants(practitioner.strip(), patient_id.strip(), 1)[0])


@router.delete("/grants/{practitioner}/{patient_id}", status_code=204, response_class=Response)
def revoke(practitioner: Practitioner, patient_id: PatientId, c: CarnetDep, who: PrincipalDep):
    """Take the practitioner out of the patient's care team (audited; 404 when there was no grant)."""
    if not c.access.revoke(practitioner, patient_id, by=who):
        raise NotFound(f"{practitioner!r} has no grant for patient {patient_id!r}.")
    return Response(status_code=204)
