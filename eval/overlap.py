"""Does a rule or lexicon string of the product quote the project's own generator?

Carnet is judged on documents written by other people: a rule that matches a phrase the generator
(`eval/synthetic/`) writes learns the generator, not medicine. This check collects the string literals of the
product code (`carnet/`, `ingest/`, `index/`, `query/`, `api/`; docstrings left out) and of the generator,
normalises both (lower case, accents folded, punctuation and template placeholders as word breaks; a regex
source is expanded into the phrases it matches, its syntax dropped) and reports every 4-word sequence they
share, minus an explicit allow-list of standard medical terms (below, each with the public source that
justifies it) and the official labels of the DMP code lists in `carnet/codes.py`.

    python -m eval.overlap            # list the shared sequences and the product strings they come from
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from itertools import product
from pathlib import Path
from carnet.codes import DOCUMENT_TYPES, SPECIALTIES
from carnet.text import fold

try:  # Python >= 3.11
    import re._constants as sre_constants
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_DIRS = ("carnet", "ingest", "index", "query", "api")
GENERATOR_DIR = "eval/synthetic"
N = 4
MAX_EXPANSIONS = 4096  # phrases one regex may expand to; beyond that its alternations are sampled in order

# Words that carry no content: a 4-word sequence made of three or more of them ("de la part de") says
# nothing about who wrote a phrase and is not reported.
STOP = set("""a au aux avec ce ces d dans de des du en et il elle l la le les leur n ne ou par pas pour qu que qui
sa se ses son sur un une y the an of in on at to and or for with by from is are was be as it its this that not no
s t""".split())

# Standard medical terms a rule may name even when the generator also writes them: each entry is a phrase
# (normalised) and the public vocabulary it comes from. Keep it short; a phrase belongs here only when a
# clinician anywhere would write it the same way.
ALLOWED: dict[str, str] = {
    # DMP document type names beyond the exact labels of carnet/codes.py (ANS TRE_A04 / JDV_J66)
    "compte rendu de consultation": "DMP type 11488-4 'CR ou fiche de consultation ou de visite' (TRE_A04)",
    "compte rendu d hospitalisation": "DMP type 34112-3 'CR hospitalier (séjour)' (TRE_A04)",
    "compte rendu des urgences": "DMP type 15507-7 'CR de passage aux urgences' (TRE_A04), its usual short name (CRU)",
    # Analytes: the names of lab tests (NABM, the French nomenclature of lab acts; LOINC French display names)
    "25 oh vitamine d": "LOINC 62292-8 '25-hydroxyvitamine D2+D3'; NABM 1139 (vitamine D, 25-OH)",
    "debit de filtration glomerulaire": "LOINC 62238-1 / HAS 2012 'Évaluation du débit de filtration glomérulaire'",
    "t c m h": "TCMH, teneur corpusculaire moyenne en hémoglobine: NABM 1104 (hémogramme) result line",
    "exploration d une anomalie lipidique": "NABM 0996 'Exploration d'une anomalie lipidique (EAL)'",
    "d une anomalie lipidique": "NABM 0996 'Exploration d'une anomalie lipidique (EAL)'",
    "exploration d une anomalie": "NABM 0996 'Exploration d'une anomalie lipidique (EAL)'",
    # Regulatory and administrative terms with a legal definition
    "affection de longue duree": "Code de la sécurité sociale art. L322-3 (ALD) and the 'ordonnance bizone' form",
    "de non contre indication": "'certificat de non contre-indication' à la pratique du sport, Code du sport art. L231-2",
    "avis des sommes a payer": "DGFiP / public hospitals' bill 'avis des sommes à payer' (ASAP)",
    "des sommes a payer": "DGFiP / public hospitals' bill 'avis des sommes à payer' (ASAP)",
    "service d accueil des": "'service d'accueil des urgences' (SAU), décret n° 95-647 du 9 mai 1995",
    "d accueil des urgences": "'service d'accueil des urgences' (SAU), décret n° 95-647 du 9 mai 1995",
    # Standard clinical headings and terms
    "histoire de la maladie": "heading of the French 'observation médicale' (history of the present illness)",
    "history of presenting complaint": "UK clinical record heading (RCP / PRSB 'Standards for the clinical "
                                       "structure and content of patient records', 2013)",
    "no known drug allergies": "SNOMED CT 409137002 'No known drug allergy' (NKDA)",
    "traitement a l entree": "HAS conciliation médicamenteuse: 'traitement à l'entrée' vs prescriptions of the stay",
    "traitement au long cours": "ANSM / HAS usage, the long-term treatment of a chronic disease",
    "prothese totale de genou": "HAS 'Prothèse totale de genou' (PTG); CCAM NFKA007-008 'prothèse totale' of the knee",
    "arthroplastie totale du genou": "CCAM NFKA007-008 (knee replacement by total prosthesis); HAS 'Prothèses de genou'",
    "diabete de type 2": "CIM-10 E11 'Diabète sucré de type 2'",
    "ml min 1 73": "UCUM unit mL/min/{1.73_m2} of an estimated GFR (LOINC 62238-1)",
    "min 1 73 m2": "UCUM unit mL/min/{1.73_m2} of an estimated GFR (LOINC 62238-1)",
    "produit de contraste iode": "ANSM 'produits de contraste iodés'",
    "date de l examen": "SFR/FNMR 'Recommandations générales pour l'élaboration d'un compte rendu radiologique': "
                        "the report states the date of the examination",
    "date de l intervention": "HAS 'Tenue du dossier patient': the operative report states the date of the operation",
    # Everyday French for dates: a question parser must read it whoever writes the question
    "debut de l annee": "everyday French ('depuis le début de l'année')",
}

# Product strings that are examples shown to users, not rules or lexicon entries: (file, string) -> why.
NOT_RULES: dict[tuple[str, str], str] = {
    ("api/schemas.py", "dernier compte rendu de cardiologie"): "the OpenAPI example question",
    ("query/retrieve.py", "dernier compte rendu de cardiologie depuis janvier 2024"): "the question parsed to warm up",
}


# --- collecting string literals ---------------------------------------------------------------------------


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are bare string statements (docstrings and the like)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            ids.add(id(node.value))
    return ids


def string_literals(folder: Path) -> list[tuple[str, int, str]]:
    """(file relative to ROOT, line, value) of every str literal under `folder` except docstrings."""
    out = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _docstring_nodes(tree)
        rel = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                out.append((rel, node.lineno, node.value))
    return out


# --- normalisation --------------------------------------------------------------------------------------------

_REGEX_HINT = re.compile(r"\\[bBsSdDwW]|\(\?|[|\[\]()*+?^$]|\{\d")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[sdr]")
BREAK = "\x00"  # a word break no sequence may cross


def _fold(text: str) -> str:

    return fold(text)


def words(text: str) -> list[list[str]]:
    """Runs of words of `text` (folded), split at breaks."""
    return [re.findall(r"[a-z0-9]+", part) for part in _fold(text).split(BREAK)]


def ngrams(runs: list[list[str]], n: int = N) -> set[tuple[str, ...]]:
    grams = set()
    for run in runs:
        for i in range(len(run) - n + 1):
            gram = tuple(run[i:i + n])
            if sum(w in STOP for w in gram) < n - 1:
                grams.add(gram)
    return grams


def _expand(parsed) -> list[str]:
    """The phrases a parsed regex matches, syntax dropped: optional parts both absent and present, every
    alternative, one repetition; character classes become a space (a word break inside the phrase)."""
    seq: list[list[str]] = []
    for op, av in parsed:
        if op is sre_constants.LITERAL:
            seq.append([chr(av)])
        elif op is sre_constants.IN:
            lits = [chr(v) for o, v in av if o is sre_constants.LITERAL]
            seq.append([lits[0]] if lits and len(av) == len(lits) and lits[0].isalpha() else [" "])
        elif op is sre_constants.BRANCH:
            seq.append([s for branch in av[1] for s in _expand(branch)])
        elif op is sre_constants.SUBPATTERN:
            seq.append(_expand(av[-1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
                    getattr(sre_constants, "POSSESSIVE_REPEAT", None)):
            lo, _, sub = av
            inner = _expand(sub)
            seq.append(([""] + inner) if lo == 0 else inner)
        elif op is sre_constants.AT or op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        else:  # ANY, CATEGORY, NOT_LITERAL, GROUPREF...: some character we cannot name
            seq.append([" "])
    out = [""]
    for options in seq:
        if len(out) * len(options) > MAX_EXPANSIONS:
            # keep every option once (each alternative still appears next to one choice of its neighbours)
            out = [out[i % len(out)] + o for i, o in enumerate(options)] if len(options) > len(out) else \
                [s + options[i % len(options)] for i, s in enumerate(out)]
        else:
            out = [a + b for a, b in product(out, options)]
    return out


def phrases(value: str) -> list[str]:
    """What a product string can match: a regex source expanded, a plain string as is."""
    if _REGEX_HINT.search(value):
        try:
            return _expand(sre_parse.parse(value))
        except (re.error, RecursionError, OverflowError, TypeError, ValueError):
            pass
    return [value]


def grams_of(value: str) -> set[tuple[str, ...]]:
    """The 4-word sequences a product string (plain or regex) can match."""
    grams: set[tuple[str, ...]] = set()
    for phrase in phrases(value):
        grams |= ngrams(words(phrase))
    return grams


def generator_grams() -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for _, _, value in string_literals(ROOT / GENERATOR_DIR):
        grams |= ngrams(words(_PLACEHOLDER.sub(BREAK, value)))
    return grams


def allowed_grams() -> set[tuple[str, ...]]:
    """4-word sequences of the allow-list and of the official DMP labels (document types, specialties)."""

    # the official labels abbreviate "compte rendu" as "CR": read them in full
    labels = [re.sub(r"\bCR\b", "compte rendu", t.label) for t in DOCUMENT_TYPES.values()]
    texts = list(ALLOWED) + labels + [t.label_en for t in DOCUMENT_TYPES.values()]
    texts += list(SPECIALTIES.values())
    grams: set[tuple[str, ...]] = set()
    for text in texts:
        grams |= ngrams(words(text))
    return grams


def violations() -> dict[tuple[str, ...], list[tuple[str, int, str]]]:
    """Every shared 4-word sequence (not allowed) -> the product strings (file, line, value) that hold it."""
    generated = generator_grams() - allowed_grams()
    found: dict[tuple[str, ...], list[tuple[str, int, str]]] = defaultdict(list)
    for folder in PRODUCT_DIRS:
        for rel, line, value in string_literals(ROOT / folder):
            if (rel, value) in NOT_RULES:
                continue
            for gram in grams_of(value) & generated:
                found[gram].append((rel, line, value))
    return dict(found)


def main() -> int:
    found = violations()
    for gram, places in sorted(found.items()):
        print(" ".join(gram))
        for rel, line, value in places:
            print(f"    {rel}:{line}  {value[:100]!r}")
    print(f"{len(found)} shared 4-word sequences")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
