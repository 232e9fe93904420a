// Pure helpers: dates, accent-insensitive highlighting, PDF links. No DOM state, no fetch.

/** "2023-04-07" -> "07/04/2023"; anything else unchanged (null -> ""). */
export function formatDate(iso) {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Lower case without accents: "Échographie" -> "echographie". */
export function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

// Words that carry no topic: never highlighted.
const STOPWORDS = new Set((
  "le la les l un une des de du d au aux a et ou en dans sur sous pour par avec sans chez que qui quel quelle " +
  "quels quelles est sont son sa ses mon ma mes ce cet cette ces dernier derniere derniers dernieres premier " +
  "premiere compte rendu rendus cr document documents resultat resultats depuis avant apres entre annee an mois " +
  "the of and or in on for with from to latest last first report reports since before after what which his her"
).split(" "));

/** The words of a question worth highlighting, folded, as prefixes (a light stemming). */
export function highlightTerms(question) {
  const words = fold(question || "").split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !STOPWORDS.has(w));
  const terms = words.map((w) => (w.length <= 5 ? w : w.slice(0, Math.max(5, w.length - 3))));
  return [...new Set(terms)];
}

/**
 * Split `text` into [{text, match}] parts where whole words starting with one of `terms` are marked.
 * Matching is accent- and case-insensitive; the original characters are kept.
 */
export function highlightParts(text, terms) {
  if (!text) return [];
  if (!terms.length) return [{ text, match: false }];
  // Fold character by character so folded offsets map back to the original string.
  let folded = "";
  const origin = [];
  for (let i = 0; i < text.length; i++) {
    const f = fold(text[i]);
    for (let k = 0; k < f.length; k++) origin.push(i);
    folded += f;
  }
  origin.push(text.length);
  const ranges = [];
  const tokens = /[a-z0-9]+/g;
  let m;
  while ((m = tokens.exec(folded)) !== null) {
    if (terms.some((t) => m[0].startsWith(t))) ranges.push([origin[m.index], origin[m.index + m[0].length]]);
  }
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/** Where a document opens: the PDF at the cited page. */
export function pdfUrl(documentId, page) {
  const base = `/v1/documents/${encodeURIComponent(documentId)}/pdf`;
  return page ? `${base}#page=${page}` : base;
}

/** Read and write the patient kept in the URL hash ("#patient=P0001"). */
export function readHash(hash) {
  const params = new URLSearchParams((hash || "").replace(/^#/, ""));
  return { patient: params.get("patient") || null };
}

export function writeHash(state) {
  const params = new URLSearchParams();
  if (state.patient) params.set("patient", state.patient);
  const text = params.toString();
  return text ? `#${text}` : "";
}
