"""The FHIR code systems, the DocumentReference status value set and the media type Carnet's DocumentReference uses: the DMP's value sets (LOINC typeCode,
XDS classCode, G15_10/SMxx specialties, TRE_A05) and Carnet's own systems for what they do not name.
"""

from __future__ import annotations

from carnet import codes, doctypes

FHIR_JSON = "application/fhir+json"
LOINC = "http://loinc.org"
LOINC_OID = "urn:oid:2.16.840.1.113883.6.1"
CLASS_SYSTEM = "urn:oid:1.2.250.1.213.1.1.4.1"  # XDS classCode (classeDocument)
SPECIALTY_SYSTEM = "urn:oid:1.2.250.1.213.1.1.4.5"  # TRE_G15/R85: G15_10/SMxx author specialties
# Carnet's own code systems, for what the DMP's value sets do not name.
CARNET_TYPE_SYSTEM = "urn:carnet:document-type"  # ADMIN: administrative papers
TRE_A05_SYSTEM = doctypes.TRE_A05_URL  # French complementary document types (SYNTH, CERT_DECL, PRESC-KINE...)
TRE_A05_OID = f"urn:oid:{doctypes.TRE_A05_OID}"
GROUP_SYSTEM = "urn:carnet:specialty-group"  # "cardiologie" = SM04, SM73, SM79-81
EXAM_SYSTEM = "urn:carnet:exam"
ANALYTE_SYSTEM = "urn:carnet:analyte"
TAG_SYSTEM = "urn:carnet:tag"
PATIENT_SYSTEM = "urn:carnet:patient"
INS_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
# Labels of the class codes named by the reference; others are shown by code only.
CLASS_LABELS = codes.CLASS_LABELS


def resource_status(doc) -> str:
    """`superseded` for a near duplicate (a StoredDocument) replaced by its canonical version, else `current`."""
    return "superseded" if doc.canonical_id else "current"


def base(base_url: str) -> str:
    """The server's base URL with its trailing slash."""
    return base_url if base_url.endswith("/") else base_url + "/"
