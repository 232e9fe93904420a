"""Exam and analyte keys (carnet.lexicon) a document reports on.

Exams: the exam named in the title, the letterhead zone, or the indication / technique sections
(not every exam a letter mentions in passing). Analytes: lexicon terms on lines that carry a value,
i.e. rows of a lab table or results quoted with a number.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from carnet.lexicon import ANALYTES, EXAMS
from carnet.words import UNAMBIGUOUS_MONTH_NAMES

from .context import Context, Line, ends_mid_sentence
from .sections import heading


def _matcher(entries: dict) -> tuple[re.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    for key, entry in entries.items():
        for syn in entry.synonyms:
            owner.setdefault(syn, key)
    alternatives = sorted(owner, key=len, reverse=True)  # longest first: "echographie cardiaque" before "echographie"
    # not followed by "-": "radio-diagnostic" is a specialty, not an X-ray ("echo-doppler" is matched whole)
    rx = re.compile(r"(?<![\w+])(" + "|".join(re.escape(s) for s in alternatives) + r")(?![\w+-])")
    return rx, owner


_EXAM_RX, _EXAM_OWNER = _matcher(EXAMS)
_ANALYTE_RX, _ANALYTE_OWNER = _matcher(ANALYTES)
_VALUE = re.compile(r"(?<![\w/])[<>]?\s?\d+(?:[.,]\d+)?\s*(?:%|[a-zµ]+/[a-z0-9.]+|[a-z]{1,4}/l|mmol|g|mg|ui|u|fl|pg|sec|s|x)?"
                    r"(?:\s|$)")
# Synonyms too short or too common to trust without a value next to them.
_COMPARISON = re.compile(r"\s*(comparaison|compare|comparison|compared|par rapport)")
_WEAK_ANALYTES = frozenset(s for a in ANALYTES.values() for s in a.synonyms if len(s) <= 3)
_WEAK_EXAMS = frozenset({"radio", "echo", "ct", "rx", "oct", "tte", "ett", "eto"})


# A result reported inside another document: "ECG : rythme sinusal", "Fond d'oeil dilaté : rétinopathie",
# "Chest X-ray: consolidation", "The 12-lead ECG showed sinus rhythm". Plans ("ECG à prévoir", "repeat
# chest X-ray in 6 weeks") and dated history ("ECG du 03/02/2019 : normal") are not results of this act.
_RESULT_AFTER = re.compile(r"^(?:[\s-]+[\w'-]+){0,3}?\s*(?::|showed|shows|revealed|demonstrated|montre|retrouve|"
                           r"objective|revele|met en evidence|sans (anomalie|modification|changement)|normal(?:e)?\b)")
# ... but a result told in a tense before the letter's own is an earlier act's ("La coronarographie avait
# montré...", "l'angioscanner de janvier montrait...", "had shown"), unless the line says it was done today.
# (English letters tell today's findings in the simple past: "The 12-lead ECG showed sinus rhythm".)
_PAST_RESULT = re.compile(r"^(?:[\s-]+[\w'-]+){0,3}?\s*(?:had (?:shown|revealed|demonstrated)|"
                          r"(?:avait|avaient|a|ont)(?: (?:aussi|deja|bien|alors))? (?:montre|retrouve|objective|revele|mis en evidence)|"
                          r"montrait|retrouvait|objectivait|revelait)\b")
_TODAY = re.compile(r"\b(today|this morning|in (?:the )?(?:clinic|surgery|office) today|ce jour|aujourd'hui|ce matin|"
                    r"realisee?s? ce jour|de ce jour|du jour)\b")
# A mention dated by its month or placed before ("Cardiac MRI in April", "l'angioscanner de janvier", "the
# previous echo") names an earlier act.
_EARLIER = re.compile(r"^\W*(?:[\w'-]+\s+){0,2}?(?:(?:in|en|de|d'|of|from|since|depuis|du mois de)\s?(?:" + "|".join(UNAMBIGUOUS_MONTH_NAMES) + r")\b|(?:last|previous|prior|earlier|precedente?|anterieure?)\b)")
# ... and so does one the patient already had ("her EEG", "his MRI": an exam known before this letter).
_EARLIER_BEFORE = re.compile(r"\b(previous|prior|earlier|last|old|precedente?|ancienne?|derniere?|initiale?|her|his|their)\s+$")
PLANNED = re.compile(r"\b(prevoir|prevu|programme|a faire|a realiser|a programmer|demande|prescrit|sera|"
                      r"controle (dans|a)|rendez-vous|rdv|planned|scheduled|to be|requested|will|repeat|"
                      r"a renouveler|a refaire|in \d+ (weeks?|months?)|dans \d+ (semaines?|mois))\b")
# An exam done together with the main one: "incidences ... complétées par une échographie".
_DONE_WITH = re.compile(r"(completee?s? (par|d')|complement(ee?s?)? (par|d')|associee?s? a|couplee?s? a|"
                        r"supplemented (by|with)|combined with|together with) (une?|an?|l')?\s*$")
_DATED = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(19|20)\d{2}\b")


def _reported_exams(ctx: Context, facilities: set[int]) -> list[str]:
    """Exams whose result this document reports, wherever it reports them."""
    found: list[str] = []
    lines = ctx.nonempty
    for i, ln in enumerate(lines):
        today = _TODAY.search(ln.folded) is not None
        if (PLANNED.search(ln.folded) and not today) or ln.index in facilities:
            continue
        # "... Radiographie" / "thoracique : surcharge" and "... Fond" / "d'œil dilaté : ..." were wrapped
        text = f"{ln.folded} {lines[i + 1].folded[:80]}" if i + 1 < len(lines) else ln.folded
        for m in _EXAM_RX.finditer(text):
            if m.start() >= len(ln.folded):
                break  # the next line's own exams are its business
            rest = text[m.end():]
            before = _before(ctx, ln, m.start())
            done = _DONE_WITH.search(before)
            if _DATED.search(rest[:40]):
                continue
            if not today and (_EARLIER.match(rest) or _EARLIER_BEFORE.search(before) or _PAST_RESULT.match(rest)):
                continue
            if done or _RESULT_AFTER.match(rest):
                key = _EXAM_OWNER[m.group(1)]
                if key not in found:
                    found.append(key)
    return found


def _before(ctx: Context, ln: Line, start: int) -> str:
    """The 40 characters before position `start` of a line, reaching into the line above when the
    sentence was wrapped ("... complétées par une" / "échographie.")."""
    text = ln.folded[:start]
    if len(text) < 40 and ln.index > 0 and ctx.lines[ln.index - 1].folded:
        text = f"{ctx.lines[ln.index - 1].folded} {text}"
    return text[-40:]


def exam_keys(ctx: Context, focus_lines: set[int], act: bool = False, indication_lines: set[int] = frozenset()
              ) -> tuple[str, ...]:
    """Exam keys: first the exam the document IS (named in its title / header zone or its technique
    section: `focus_lines`), then those whose result it reports ("ECG : rythme sinusal") or that were done
    with the main one ("complétée par une échographie"). The indication section (`indication_lines`) names
    why the act was done ("abnormal ECG", "EF 38% on echocardiogram"): it counts only when nothing above
    names the exam. For an act (`act`: imaging, diagnostic test) that names none, its opening sentence or
    conclusion, else its measurements, tell the exam."""
    # letterhead lines that name a place ("Scanner IRM Val de Loire") give neither exam nor result
    facilities = {ln.index for ln in ctx.letterhead if _names_a_facility(ln.folded)}
    named = _named_exams(ctx, focus_lines, facilities - focus_lines)
    if not named and indication_lines:
        named = _named_exams(ctx, indication_lines, facilities, title_zone=False)
    if act and not named:
        named = _opening_exams(ctx, facilities) or list(measured_exams(ctx))
    return tuple(dict.fromkeys([*named, *_reported_exams(ctx, facilities)]))


_TITLE_WORDS = 10
# "Exam: XR Chest PA", "Examen : IRM cérébrale", "Procedure: Left heart catheterization": the label names
# the act the document reports (its value ends at the next column of the line).
_LABELLED_EXAM = re.compile(r"^(?:exam(?:ination)?|examen(?: realise| pratique)?|type d'examen|study|procedure|"
                            r"modality|modalite|acte(?: realise)?)\s*:\s*(.{2,60}?)(?: {3,}|$)")


# Standard abbreviations and names of acts that a report's title uses and a question rarely does (the
# question side has the lexicon): the DICOM/RIS modality prefix "XR", "CXR", French "coro", "ENMG", the US
# "cardiac cath", "ambulatory ECG" for a Holter, "nerve conduction studies" for an EMG.
_TITLE_NAMES = (
    ("radiographie", re.compile(r"^(?:xr|cxr|dx|cr)\b(?! d)|\b(?:xr|cxr)\b|\bplain films?\b")),
    ("coronarographie", re.compile(r"\bcoro\b|\bcatheteri[sz]ation\b|\bcardiac cath\b|\bcoronary angiogra\w*|"
                                   r"\bangiographie coronaire\b|\bleft heart cath\w*")),
    ("holter", re.compile(r"\bambulatory (?:ecg|ekg|electrocardiogra\w*)|\b24 ?-?h(?:our|eures?)? (?:ecg|ekg)\b")),
    ("emg", re.compile(r"\belectroneuromyogra\w*|\benmg\b|\bnerve conduction stud\w*|\bemg/ncs\b|\bncs/emg\b")),
    ("endoscopie", re.compile(r"\boeso-?gastro-?duodenoscopie\b|\begd\b|\bupper (?:gi )?endoscopy\b")),
    ("echocardiographie", re.compile(r"\bechocardiographie transthoracique\b|\bett\b|\beto\b|\btte\b|\btee\b")),
    ("scanner", re.compile(r"\btdm\b|\bct (?:scan|abdomen|chest|head|thorax|pelvis)\b|\bangio-?scanner\b")),
)
# A more specific act named with the one it is a kind of ("HOLTER ECG", "ECG (Holter)", "ECG d'effort",
# "échographie cardiaque"): the title names one act, the specific one.
_KIND_OF = {"holter": "ecg", "epreuve-effort": "ecg", "echocardiographie": "echographie"}


def _title_abbreviations(line: str) -> list[str]:
    return [key for key, rx in _TITLE_NAMES if rx.search(line)]


def _named_exams(ctx: Context, focus_lines: set[int], facilities: set[int], title_zone: bool = True) -> list[str]:
    titles = {ln.index for ln in ctx.title_lines}
    # the first letterhead lines, short ones only: a sentence there is the body of an unheaded note
    zone = ({ln.index for ln in ctx.letterhead[:6] if len(ln.folded.split()) <= _TITLE_WORDS} | titles
            | {ln.index for ln in _title_zone(ctx) if _exam_title(ln.folded)}) if title_zone else set()
    labelled = {ln.index: m.group(1) for ln in ctx.nonempty[:TITLE_SEARCH_LINES]
                if title_zone and (m := _LABELLED_EXAM.match(ln.folded))}
    lines = zone | focus_lines | set(labelled)
    found: list[str] = []
    # a title line stands for its whole line: it comes joined when the layout wrapped it
    for ln in [*ctx.title_lines, *(ln for ln in ctx.nonempty if ln.index not in titles)]:
        if ln.index not in lines or _COMPARISON.match(ln.folded) or PLANNED.search(ln.folded):
            continue
        if ln.index in facilities:
            continue
        in_line: list[str] = []
        text = labelled.get(ln.index, ln.folded)
        for m in _EXAM_RX.finditer(text):
            syn = m.group(1)
            if syn in _WEAK_EXAMS and not _strong_context(text, syn):
                continue
            if _DONE_WITH.search(_before(ctx, ln, m.start())):
                continue  # a complement, not the main exam (_reported_exams adds it)
            in_line.append(_EXAM_OWNER[syn])
        if ln.index in titles or ln.index in labelled or (ln.index in zone and _exam_title(ln.folded)):
            in_line += _title_abbreviations(text)
        for key in in_line:
            if key not in found and not any(_KIND_OF.get(other) == key for other in in_line):
                found.append(key)
    return found


def _opening_exams(ctx: Context, facilities: set[int]) -> list[str]:
    """The exam an untitled act opens with ("Écho-Doppler des troncs supra-aortiques. Bilan d'athérome...")
    or concludes on ("Conclusion : épreuve d'effort négative")."""
    opening = ctx.nonempty[:TITLE_SEARCH_LINES]
    for i, ln in enumerate(opening):
        if ln.index in facilities or (i and ends_mid_sentence(opening[i - 1], ln)):
            continue
        sentence = ln.folded.split(". ")[0]
        if _exam_title(sentence) and not _DATED.search(sentence):
            return [_EXAM_OWNER[_EXAM_RX.match(sentence).group(1)]]
    lines = ctx.nonempty
    for i, ln in enumerate(lines):
        found = heading(ln.folded)
        if found is None or found[0] != "conclusion":
            continue
        text = ln.folded[found[1].end():].strip() or (lines[i + 1].folded if i + 1 < len(lines) else "")
        m = _EXAM_RX.match(text)
        if m and not PLANNED.search(text):
            return [_EXAM_OWNER[m.group(1)]]
    return []


# A long letterhead (several doctors, a secretariat, the patient's identity on six lines) can push the
# title down: a short line that starts with an exam name, early in the document, is the title.
TITLE_SEARCH_LINES = 30


def _title_zone(ctx: Context) -> list[Line]:
    """The first lines, up to where the letter's or report's body starts."""
    return [ln for ln in ctx.nonempty[:TITLE_SEARCH_LINES] if ln.index < ctx.body_start]


def _exam_title(line: str) -> bool:
    m = _EXAM_RX.match(line)
    return m is not None and len(line) <= 60 and len(line.split()) <= 8 and not PLANNED.search(line)


_FACILITY = re.compile(r"\b(centre|center|cabinet|institut|service|pole|clinique|clinic|groupe|hopital|hospital|"
                       r"imagerie medicale|unite|department|departement|maison)\b")


# A line that says it is a report or a recording is a title, however many exams it names
# ("24 HOUR AMBULATORY ECG (HOLTER) REPORT", "ENREGISTREMENT HOLTER ECG DES 24 HEURES").
_REPORT_WORD = re.compile(r"\b(report|compte[- ]?rendu|enregistrement|recording|study|protocole)\b")


def _names_a_facility(line: str) -> bool:
    """A letterhead line naming where, not what: "Centre d'échographie", "Scanner IRM Metz Parc" (a place
    offering several modalities; a report's own title names one exam)."""
    if _FACILITY.search(line) is not None:
        return True
    keys = {_EXAM_OWNER[m.group(1)] for m in _EXAM_RX.finditer(line)}
    keys -= {_KIND_OF[k] for k in keys if k in _KIND_OF}
    return len(keys) >= 2 and not _REPORT_WORD.search(line)


def _strong_context(line: str, syn: str) -> bool:
    """A short exam word counts in a title-like short line or next to an anatomical complement."""
    return len(line) <= 60 or re.search(rf"(?<!\w){re.escape(syn)} (du|de la|des|de l'|of|thoracique|pulmonaire)", line) is not None


def analyte_keys(ctx: Context, lab_report: bool) -> tuple[str, ...]:
    found: list[str] = []
    for ln in ctx.nonempty:
        f = ln.folded
        if not any(ch.isdigit() for ch in f):
            continue
        if lab_report and not _ANALYTE_RX.search(f) and _VALUE.search(f):
            key = _misread_analyte(f)
            if key and key not in found:
                found.append(key)
            continue
        for m in _ANALYTE_RX.finditer(f):
            rest = f[m.end():m.end() + 60]
            has_value = _VALUE.search(rest) is not None
            if not has_value and not (lab_report and m.group(1) not in _WEAK_ANALYTES and re.search(r"\d", rest)):
                continue
            key = _ANALYTE_OWNER[m.group(1)]
            if key not in found:
                found.append(key)
    return tuple(found)


# A scanned lab report's row label as OCR read it: "Perritine ....", "Priglycerides :", "Acide (unique".
_LABEL = re.compile(r"^[\s*•-]*([a-z][a-z' ()-]{4,40}?)\s*(?:\.{2,}|:|=|\d|$)")
_LONG_SYNONYMS = sorted({s for a in ANALYTES.values() for s in a.synonyms if len(s) >= 6})


def _misread_analyte(line: str) -> str | None:
    """The analyte a value line's label names, one letter off (two for long names): OCR confuses F and P,
    T and P, r and n. Short names are never guessed: one letter turns "hdl" into "ldl"."""
    m = _LABEL.match(line)
    if m is None:
        return None
    words = re.sub(r"[^a-z' -]", " ", m.group(1)).split()
    for n in (3, 2, 1):
        phrase = " ".join(words[:n])
        if len(phrase) < 6:
            continue
        best = process.extractOne(phrase, _LONG_SYNONYMS, scorer=Levenshtein.distance,
                                  score_cutoff=1 if len(phrase) < 10 else 2)
        if best is not None:
            return _ANALYTE_OWNER[best[0]]
    return None


# A diagnostic act or imaging report that never names its exam ("Compte rendu d'imagerie" over a
# screening mammogram, a lung function test whose title the layout split) is told by what it measures.
_MEASURED_EXAMS = (
    ("mammographie", re.compile(r"\bacr [0-6]\b|\b(seins?|mammaires?) de densite|microcalcifications")),
    # a 24-hour recording: fitted and removed, analysable duration, ectopic beat counts
    ("holter", re.compile(r"\bduree (d'enregistrement|analysable|d'analyse)|\b(pose|branche)e? le .{0,60}\b(depose|debranche)|"
                          r"\b\d+ (esv|essv|extrasystoles)\b|recording (duration|period)|analysable time")),
    # an exercise test: workload steps, maximal theoretical heart rate
    ("epreuve-effort", re.compile(r"\bpaliers? de \d+ ?(w|watts)\b|\bfmt\b|frequence (cardiaque )?maximale theorique|"
                                  r"\bbruce protocol|\bmets? achieved|\b\d+ ?% (de la )?fmt")),
    ("efr", re.compile(r"\b(vems|cvf|dlco|fev1|fvc)\b(?s:.*)\b(vems|cvf|dlco|fev1|fvc|cpt|tiffeneau)\b")),
    ("echocardiographie", re.compile(r"\b(fevg|lvef)\b(?s:.*)\b(dtdvg|tapse|siv|paps|og \(volume)")),
    ("ecg", re.compile(r"\b(qrs|qtc)\b(?s:.*)\b(rythme sinusal|sinus rhythm|axe|axis|pr \d)")),
    # imaging techniques and the words each modality describes its findings with
    ("densitometrie", re.compile(r"\bt-?score\b|\bz-?score\b|\bdxa\b|densite minerale osseuse")),
    ("irm", re.compile(r"\bsequences? (t1|t2|flair|de diffusion|ponderee)|gadolinium|hypersignal|hyposignal|"
                       r"\bt2 flair\b")),
    ("scanner", re.compile(r"acquisition helicoidale|\bpdl\b|mgy\.?cm|coupes? (fines? )?de \d+([.,]\d+)? ?mm|"
                           r"produit de contraste iode|unites hounsfield|hounsfield units")),
    ("echographie", re.compile(r"\bsonde (lineaire|convexe|endo-?vaginale|endocavitaire|abdominale|haute frequence)|"
                               r"\b(hypo|hyper|iso|an)?echogen\w*|\bechostructure|transducer|sonographic|"
                               r"\bdopplers? (couleur|pulse|ombilica\w*|uterin\w*|cerebra\w*|arteri\w*|veineu\w*)|"
                               r"\bpoids f(o)?etal|biometrie f(o)?etale|clarte nucale|longueur cranio-caudale|"
                               r"\bpresentation (cephalique|podalique|du siege)|fetal (weight|biometry)")),
    ("radiographie", re.compile(r"\bincidences? (de )?(face|profil)\b|\bcliches?\b|\bradiographic|"
                                r"(^|: ?)(de )?face et (de )?profil\b|\b(ap|pa|frontal) and lateral (views?|projections?)")),
)


def measured_exams(ctx: Context) -> tuple[str, ...]:
    """The exam whose measurements the document reports, when it does not name it."""
    return next(((key,) for key, rx in _MEASURED_EXAMS if rx.search(ctx.folded)), ())

