"""The words of Carnet's two languages, in one place: month names, stop words, stems, the language of a text.

Everything is folded (`carnet.text.fold`: lower case, no accents). Ingestion, search and the question
parser read the same tables; where one use needs a list of its own, it is a named subset or extension
here, with the reason next to it, so that no module keeps a private copy.

- Months: `MONTHS` (full names, French and English), `MONTH_ABBREVIATIONS` (read only next to a day or a
  year: "sept" is also seven, "may" a verb), `DOCUMENT_MONTHS` (what the date reader of documents knows),
  `MONTH_NAMES_FR` / `MONTH_NAMES_EN` (January first), the display labels `MONTH_LABELS_*`.
- Stop words: `STOP_WORDS_FR` / `STOP_WORDS_EN` (a question's words that are no filter and no topic),
  `TOPIC_STOP_WORDS`, `SUMMARY_STOP_WORDS`, `SUPPORT_STOP_WORDS` and `NEGATIONS` (see each one's comment).
- Stems: `stem` / `stems` / `stemmed_text` (Snowball, the shorter of the French and English stems), and
  `prefix_stem`, the cruder stem two text comparisons were tuned with.
- Language: `detect_language` (a document's, by its function words).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from carnet.text import fold

# --- months -----------------------------------------------------------------------------------------------

MONTH_NAMES_FR: tuple[str, ...] = tuple(
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre".split())
MONTH_NAMES_EN: tuple[str, ...] = tuple(
    "january february march april may june july august september october november december".split())
MONTHS: dict[str, int] = {**{m: i for i, m in enumerate(MONTH_NAMES_FR, 1)},
                          **{m: i for i, m in enumerate(MONTH_NAMES_EN, 1)}}
# Abbreviations: a month only next to a day or a year ("sept" is also seven, "may" a verb).
MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv": 1, "jan": 1, "fev": 2, "fevr": 2, "feb": 2, "mar": 3, "avr": 4, "apr": 4, "juil": 7, "jul": 7,
    "jun": 6, "aou": 8, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# The date reader of documents (ingest.understand.dates) knows every name and abbreviation but "aou", a hurried
# doctor's typing of "août" in a question: a document's "aou" goes to dateparser with the other odd words.
DOCUMENT_MONTHS: dict[str, int] = {**MONTHS, **{k: v for k, v in MONTH_ABBREVIATIONS.items() if k != "aou"}}
# Month names without "may", which in English text is mostly the verb.
UNAMBIGUOUS_MONTH_NAMES: tuple[str, ...] = MONTH_NAMES_FR + tuple(m for m in MONTH_NAMES_EN if m != "may")

# Display labels (accents kept), January first.
MONTH_LABELS_FR_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
                         "déc.")
MONTH_LABELS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                   "novembre", "décembre")
MONTH_LABELS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_LABELS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                   "November", "December")

# --- stop words -------------------------------------------------------------------------------------------

# A question's words that name no filter and no topic (query.parse, query.phrase_index).
STOP_WORDS_FR: frozenset[str] = frozenset(
    """le la les l un une des du de d au aux a et ou en dans pour par sur avec chez mon ma mes son sa ses ce cet
    cette ces ci qui que qu quel quelle quels quelles est sont etait ete je j me m moi il elle y t ai as avez avoir
    veux voudrais voir montre montrer montre-moi affiche afficher trouve trouver cherche chercher donne donner
    retrouve retrouver ouvre ouvrir svp stp merci patient patiente monsieur madame mr mme mlle tout tous toute toutes
    ne pas n se s fait faite faits faites quoi ou quand comment combien dont son leur leurs notre nos votre vos
    lui eu eue sous evolution courbe concerne concernent concernant relatif relatifs relative relatives propos
    parle parlent""".split()
)
STOP_WORDS_EN: frozenset[str] = frozenset(
    """the a an of for from in on at to with by my his her their our your this that these those is are was were
    be been show me find get give open see please pls any all what which when where how who whose did do does i we
    you he she it its patient patients pt mr mrs ms about trend trends regarding concerning related mention
    mentions mentioning everything anything""".split()
)

# The words dropped from a question's topic before its words are looked for in chunks (query.retrieve): the
# function words only, shorter than STOP_WORDS_*, because the topic was already cut from the question's
# filters and what is left ("évolution", "courbe"...) may be the topic itself.
TOPIC_STOP_WORDS: frozenset[str] = frozenset(
    """le la les l de du des d un une et ou a au aux en dans pour par sur avec sans que qui quoi quel quelle
    the a an of in on for to and or with without what which is are was me moi mon ma mes son sa ses ce cette patient
    patiente""".split())
# The words of a question that do not pick a sentence for an extractive summary (query.summarize): the topic's
# stop words and the words that name what is asked for ("dernier compte rendu", "résultats"), found in every
# report's header.
SUMMARY_STOP_WORDS: frozenset[str] = TOPIC_STOP_WORDS | frozenset(
    """quels quelles dernier derniere derniers dernieres last latest recent recente resultat resultats result
    results compte rendu cr document documents montre voir trouve est il elle y t show find mr mme m dr""".split())

# Words a generated sentence may add to what its source says (query.support_check): function words, and the
# words a summary uses to talk about a document ("le compte rendu montre", "the report shows").
SUPPORT_STOP_WORDS: frozenset[str] = frozenset("""
les des une est sont pour par avec dans sur qui que quoi dont aux ces cette ses son leur leurs lui elle
ils elles nous vous mais donc car comme plus moins tres bien aussi ainsi alors entre sous chez vers
depuis pendant avant apres lors tout tous toute toutes meme autre autres deja encore ete etait avait
avoir etre fait faite ont peut doit cela ceci celui celle qu'il selon quel quelle quels quelles sans
patient patiente patients document documents source sources compte rendu comptes rendus rapport
montre montrent indique indiquent retrouve retrouvent note notee mentionne mentionnent decrit decrite
signale signalee rapporte constate observe observee presente presentee effectue effectuee realise realisee
dernier derniere derniers dernieres date datee jour mois annee question reponse resume
the and with for from that this these those was were has have had are been being not but also than
into onto upon over under shows show showed reports reported report notes noted indicates indicated
found describes described mentions mentioned which who what when where there their its his her
""".split())
# Words that negate, in both languages (a sentence that negates needs a source that negates).
NEGATIONS: frozenset[str] = frozenset("pas aucun aucune absence absent absente sans non jamais ni negatif negative "
                                      "no not without never none negative".split())

# --- stems ------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


_LOCAL = threading.local()


def _stemmers():
    """This thread's French and English stemmers: a Snowball stemmer keeps the word being stemmed in its
    own fields, so two request threads sharing one corrupt each other's word (IndexError, a 500)."""
    pair = getattr(_LOCAL, "stemmers", None)
    if pair is None:
        import snowballstemmer  # third-party, loaded on first use

        pair = _LOCAL.stemmers = snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")
    return pair


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one folded word, the shorter of the French and English stems, so that the two
    languages of a record meet ("thoraciques" and "thoracic" -> "thorac") and inflections fall together
    (digits and words of three letters or less are kept as they are)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    french, english = _stemmers()
    candidates = [s for s in (french.stemWord(word), english.stemWord(word)) if len(s) >= 3]
    return min(candidates, key=lambda s: (len(s), s)) if candidates else word


def stems(text: str) -> list[str]:
    """The stems of a text's words, in order (the text is folded first)."""
    return [stem(w) for w in _WORD.findall(fold(text))]


def stemmed_text(text: str) -> str:
    return " ".join(stems(text))


def prefix_stem(word: str, *, drop_plural: bool = False) -> str:
    """A word's first six letters (after dropping a final s or x of a word over four letters, with
    `drop_plural`). Cruder than `stem`, and kept where sentences are compared with the words of their
    source or of the question (query.support_check, query.summarize), whose thresholds were tuned on it."""
    if drop_plural and len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    return word[:6]


# --- language ---------------------------------------------------------------------------------------------

# The common function words that tell a document's language.
FUNCTION_WORDS_FR: frozenset[str] = frozenset(
    "le la les des du de et est une un pour avec dans sur par pas au aux en il elle nous vous je ce cette "
    "sans sous qui que ou mais son sa ses leur l' d' j' n' qu' s'".split()
)
FUNCTION_WORDS_EN: frozenset[str] = frozenset(
    "the and of with is was for on in to no not he she his her we you i this that without under who which "
    "or but their at by from has have been are were an as".split()
)
_LETTERS = re.compile(r"[a-z']+")


def detect_language(folded_text: str) -> tuple[str, float]:
    """("fr" | "en", confidence) of a folded text, by counting function words. French wins ties: it is the
    DMP's language. (A question's language is told by query.parse from its vocabulary's words.)"""
    fr = en = 0
    for word in _LETTERS.findall(folded_text[:20000]):
        if word in FUNCTION_WORDS_FR:
            fr += 1
        elif word in FUNCTION_WORDS_EN:
            en += 1
        if "'" in word:
            head = word.split("'", 1)[0] + "'"
            if head in FUNCTION_WORDS_FR:
                fr += 1
    total = fr + en
    if total == 0:
        return "fr", 0.0
    if en > fr * 1.2:
        return "en", en / total
    return "fr", fr / total
