"""A whole record at once: an IHE XDM ZIP (the DMP's export) read as a list of documents with their metadata.

The ZIP holds `IHE_XDM/<SUBSET>/METADATA.XML` (an ebRIM SubmitObjectsRequest: one ExtrinsicObject per
document, whose slots and classifications are the XDS metadata: typeCode, classCode, serviceStartTime,
serviceStopTime, author with authorSpecialty, confidentialityCode, languageCode, title, uniqueId, the
`URI` of the file in the subset folder) and the documents themselves (`DOC0001.XML`, usually CDA R2).

The archive is untrusted: members are read by name from the archive's table of contents (never
extracted to disk), names that climb out of the archive are refused, each member's declared size and
the archive's total are checked before anything is read, and METADATA.XML is parsed with the safe
parser of ingest.cda. The document's own CDA header wins over METADATA.XML; METADATA.XML fills what
the header leaves out, and confidentiality codes of both are kept.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

from carnet import codes
from carnet.errors import UnreadableDocument
from ingest.cda_header import author_specialty
from ingest.cda_xml import hl7_date, parse_xml

TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
CONFIDENTIALITY = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
AUTHOR = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
RPLC = "urn:ihe:iti:2007:AssociationType:RPLC"
MAX_MEMBERS = 10_000
DOCUMENT_SUFFIXES = (".xml", ".pdf")


@dataclass(frozen=True)
class XdmDocument:
    member: str  # path inside the ZIP
    overrides: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    unique_id: str | None = None
    replaces: tuple[str, ...] = ()  # uniqueIds of documents this one replaces (RPLC association)


def read_xdm(path: Path | str, max_bytes: int) -> list[XdmDocument]:
    """The documents of an XDM ZIP with their XDS metadata. Raises UnreadableDocument for a ZIP that
    cannot be read safely (corrupt, too big, names outside the archive, no IHE_XDM folder)."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise UnreadableDocument(f"{path.name}: not a readable ZIP archive ({type(e).__name__}).") from e
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnreadableDocument(f"{path.name}: {len(infos):,} files in the archive, over {MAX_MEMBERS:,}.")
        total = sum(i.file_size for i in infos)
        if total > 20 * max_bytes:
            raise UnreadableDocument(f"{path.name}: {total:,} bytes once uncompressed, over the limit.")
        for info in infos:
            p = PurePosixPath(info.filename)
            if p.is_absolute() or ".." in p.parts or "\\" in info.filename:
                raise UnreadableDocument(f"{path.name}: a file name leaves the archive ({info.filename!r}).")
        names = {i.filename: i for i in infos if not i.is_dir()}
        metadata = [n for n in names if PurePosixPath(n).name.upper() == "METADATA.XML"
                    and [x.upper() for x in PurePosixPath(n).parts[:1]] == ["IHE_XDM"]]
        if not metadata:
            raise UnreadableDocument(f"{path.name}: not an IHE XDM archive (no IHE_XDM/<subset>/METADATA.XML).")
        out: list[XdmDocument] = []
        for meta_name in sorted(metadata):
            subset = PurePosixPath(meta_name).parent
            data = _read(archive, names[meta_name], max_bytes, path.name)
            described = _documents(parse_xml(data, f"{path.name}:{meta_name}"), subset, names)
            out += described
            listed = {d.member.upper() for d in described}
            for n in sorted(names):  # documents of the subset that METADATA.XML does not describe
                q = PurePosixPath(n)
                if (q.parent == subset and q.suffix.lower() in DOCUMENT_SUFFIXES and n.upper() not in listed
                        and q.name.upper() != "METADATA.XML"):
                    out.append(XdmDocument(n))
        return out


def read_member(path: Path | str, member: str, max_bytes: int) -> bytes:
    """One document of the archive, its declared size checked before it is read."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(archive, archive.getinfo(member), max_bytes, f"{path.name}:{member}")
    except KeyError as e:
        raise UnreadableDocument(f"{path.name}: {member!r} is not in the archive.") from e
    except (zipfile.BadZipFile, OSError) as e:
        raise UnreadableDocument(f"{path.name}: cannot read {member!r} ({type(e).__name__}).") from e


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int, name: str) -> bytes:
    if info.file_size > max_bytes:
        raise UnreadableDocument(f"{name} is {info.file_size:,} bytes, over the {max_bytes:,}-byte limit.")
    with archive.open(info) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableDocument(f"{name} is over the {max_bytes:,}-byte limit.")
    return data


def _local(tag: Any) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el.iter() if _local(c.tag) == name]


def _slots(el: Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for slot in el:
        if _local(slot.tag) == "Slot" and slot.get("name"):
            out[slot.get("name")] = [(v.text or "").strip() for v in slot.iter() if _local(v.tag) == "Value"]
    return out


def _documents(root: Element, subset: PurePosixPath, names: dict) -> list[XdmDocument]:
    by_upper = {n.upper(): n for n in names}
    objects = _children(root, "ExtrinsicObject")
    unique_of: dict[str, str] = {}
    docs = []
    for obj in objects:
        slots = _slots(obj)
        uri = (slots.get("URI") or [""])[0]
        if not uri:
            continue
        member = by_upper.get(str(subset / uri).upper())
        if member is None:
            continue
        overrides = _overrides(obj, slots)
        unique_id = next((e.get("value") for e in obj if _local(e.tag) == "ExternalIdentifier"
                          and e.get("identificationScheme") == UNIQUE_ID), None)
        if unique_id:
            unique_of[obj.get("id") or ""] = unique_id
        docs.append((obj.get("id") or "", member, overrides, unique_id))
    replaces: dict[str, list[str]] = {}
    for assoc in _children(root, "Association"):
        if assoc.get("associationType") == RPLC and assoc.get("targetObject"):
            target = unique_of.get(assoc.get("targetObject")) or assoc.get("targetObject")
            replaces.setdefault(assoc.get("sourceObject") or "", []).append(target)
    return [XdmDocument(member, overrides, uid, tuple(replaces.get(oid, ()))) for oid, member, overrides, uid in docs]


def _overrides(obj: Element, slots: dict[str, list[str]]) -> dict[str, Any]:
    """DocMeta overrides from an ExtrinsicObject's slots and classifications."""
    out: dict[str, Any] = {}
    start = hl7_date((slots.get("serviceStartTime") or [""])[0])
    stop = hl7_date((slots.get("serviceStopTime") or [""])[0])
    if start or stop:
        out["service_date"], out["date_confidence"] = start or stop, 1.0
    if stop and start and stop >= start:
        out["service_end_date"] = stop
    language = (slots.get("languageCode") or [""])[0][:2].lower()
    if language in ("fr", "en"):
        out["language"] = language
    for el in obj:
        if _local(el.tag) == "Name":
            title = next((s.get("value") for s in el.iter() if _local(s.tag) == "LocalizedString" and s.get("value")), None)
            if title:
                out["title"] = title.strip()
    confidentiality = []
    for c in (e for e in obj if _local(e.tag) == "Classification"):
        scheme, code = c.get("classificationScheme"), (c.get("nodeRepresentation") or "").strip()
        if scheme == TYPE_CODE and code:
            type_code = codes.current_type_code(code)
            if type_code in codes.DOCUMENT_TYPES:
                out["type_code"], out["type_confidence"] = type_code, 1.0
        elif scheme == CONFIDENTIALITY and code:
            confidentiality.append(code)
        elif scheme == AUTHOR and "author" not in out:
            author = _slots(c)
            raw = (author.get("authorPerson") or [""])[0]
            person = _xcn(raw)
            if person:
                out["author"] = person
            if "^" in raw and raw.split("^", 1)[0].strip():
                out["author_id"] = raw.split("^", 1)[0].strip()
            org = (author.get("authorInstitution") or [""])[0].split("^")[0].strip()
            if org:
                out["organisation"] = org
            specialty = (author.get("authorSpecialty") or [""])[0].split("^")[0].strip()
            if specialty:
                sm = author_specialty(_Code(specialty))
                if sm:
                    out["specialty_code"], out["specialty_confidence"] = sm, 1.0
    if confidentiality:
        out["confidentiality"] = tuple(dict.fromkeys(confidentiality))
    if out:
        out["metadata_source"] = "cda"
    return out


class _Code:
    """A code string seen through the Element interface `author_specialty` reads."""

    def __init__(self, code: str):
        self._code = code

    def get(self, key: str, default=None):
        return self._code if key == "code" else default


def _xcn(value: str) -> str | None:
    """An XCN author ("id^FAMILY^Given^^^Dr") as "Dr Given FAMILY"."""
    parts = value.split("^")
    if len(parts) < 3:
        return value.strip() or None
    family, given = parts[1].strip(), parts[2].strip()
    prefix = parts[5].strip() if len(parts) > 5 else ""
    return " ".join(p for p in (prefix, given, family) if p) or None


def merge(header: dict[str, Any], xds: dict[str, Any]) -> dict[str, Any]:
    """The CDA header's overrides, completed by the XDS metadata; confidentiality codes of both kept."""
    out = {**xds, **header}
    codes_ = [c for v in (header.get("confidentiality"), xds.get("confidentiality")) if v for c in v]
    if codes_:
        out["confidentiality"] = tuple(dict.fromkeys(codes_))
    if "service_date" in header and "service_end_date" not in header:
        out.pop("service_end_date", None)  # the header's own period, not a mix of both
    return out
