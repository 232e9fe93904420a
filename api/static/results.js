// Rendering of an answer: interpretation chips, summary with citations, document cards, no-match block.

import { h } from "./dom.js";
import { formatDate, highlightParts, pdfUrl } from "./format.js";

/** The interpretation as removable chips. `onRemove(chip)` re-asks without it. */
export function renderChips(chips, t, onRemove) {
  return chips.map((chip) =>
    h("span", { class: `chip chip-${chip.kind}`, dataset: { kind: chip.kind, value: chip.value } },
      h("span", { class: "chip-label" }, chip.label),
      h("button", { type: "button", class: "chip-remove", "aria-label": t("removeChip", chip.label),
                    title: t("removeChip", chip.label), onclick: () => onRemove(chip) }, "×")));
}

/** Other readings of an ambiguous abbreviation ("MG → magnésium ?"): `onChoose(chip)` re-asks with it. */
export function renderAlternatives(alternatives, t, onChoose) {
  return alternatives.map((chip) =>
    h("button", { type: "button", class: "chip chip-alternative", dataset: { kind: chip.kind, value: chip.value },
                  title: t("chooseReading", chip.label), onclick: () => onChoose(chip) }, chip.label));
}

/** How each ambiguous abbreviation was read: the server's sentence (ambiguous, or decided by the record), and
 * for an ambiguous one its other readings as buttons; `onChoose(chip)` re-asks with that reading. */
export function renderAmbiguity(ambiguity, t, onChoose) {
  return ambiguity.filter((a) => a.decided_by !== "doctor").map((a) =>
    h("p", { class: `ambiguity${a.ambiguous ? " ambiguity-open" : ""}`, dataset: { word: a.word, decidedBy: a.decided_by } },
      h("span", { class: "ambiguity-message" }, a.message),
      ...(a.ambiguous ? a.readings.filter((r) => !r.chosen).map((r) =>
        h("button", { type: "button", class: "link-button ambiguity-choice", dataset: { value: r.chip.value },
                      title: t("chooseReading", r.label), onclick: () => onChoose(r.chip) }, t("readAs", r.label)))
        : [])));
}

function snippetNode(text, terms) {
  return h("p", { class: "snippet" },
    highlightParts(text || "", terms).map((part) => (part.match ? h("mark", {}, part.text) : part.text)));
}

/** One result card. Focusable; Enter or "o" opens its PDF at the cited page (handled in app.js). */
export function renderCard(hit, number, terms, t, { alternative = false } = {}) {
  const page = hit.page || 1;
  const href = pdfUrl(hit.id, page);
  const typeLabel = (hit.type && (hit.type.label || hit.type.code)) || t("unknownType");
  const who = [hit.author, hit.organisation].filter(Boolean).join(" · ");
  const muted = hit.is_noise || Boolean(hit.canonical_id);
  const titleId = `card-title-${alternative ? "alt-" : ""}${number}`;
  return h("article", {
      class: `card${muted ? " card-muted" : ""}${alternative ? " card-alternative" : ""}`,
      tabindex: "0",
      "aria-labelledby": titleId,
      dataset: { id: hit.id, source: hit.source, page: String(page), href },
    },
    h("div", { class: "card-rank", "aria-hidden": "true" }, String(number)),
    h("div", { class: "card-main" },
      h("div", { class: "card-head" },
        h("h3", { class: "card-type", id: titleId }, typeLabel),
        hit.specialty ? h("span", { class: "tag tag-specialty" }, hit.specialty.label || hit.specialty.code) : null,
        hit.is_noise ? h("span", { class: "tag tag-muted" }, t("noise")) : null,
        hit.canonical_id ? h("span", { class: "tag tag-muted" }, t("duplicate")) : null,
        hit.needs_review ? h("span", { class: "tag tag-review", title: t("needsReviewHint") }, t("needsReview")) : null,
        h("time", { class: "card-date", datetime: hit.date || "" }, hit.date ? formatDate(hit.date) : t("noDate"))),
      who ? h("div", { class: "card-who" }, who) : null,
      hit.title && hit.title !== typeLabel ? h("div", { class: "card-title" }, hit.title) : null,
      hit.snippet ? snippetNode(hit.snippet, terms) : null),
    h("a", { class: "card-open", href, target: "_blank", rel: "noopener", tabindex: "-1",
             "aria-label": t("openPdfAt", page) },
      h("span", { class: "card-open-icon", "aria-hidden": "true" }, "PDF"),
      h("span", {}, t("page", page))));
}

/**
 * The summary: one paragraph per cited document (its card number, type and date first), each run of
 * sentences followed by a citation that opens the PDF at its page. Numbers match the cards on screen;
 * documents not on screen get the next numbers.
 */
export function renderSummary(summary, cardsById, t) {
  if (!summary || !summary.sentences || !summary.sentences.length) return null;
  const numbers = new Map([...cardsById.keys()].map((id, i) => [id, i + 1]));
  let next = numbers.size + 1;
  const numberOf = (id) => {
    if (!numbers.has(id)) numbers.set(id, next++);
    return numbers.get(id);
  };
  const groups = [];
  for (const sentence of summary.sentences) {
    const last = groups[groups.length - 1];
    if (last && last.id === sentence.document_id) last.sentences.push(sentence);
    else groups.push({ id: sentence.document_id, sentences: [sentence] });
  }
  const cite = (id, page) => {
    const n = numberOf(id);
    return h("a", { class: "citation", href: pdfUrl(id, page), target: "_blank", rel: "noopener",
                    title: t("citation", n, page), "aria-label": t("citation", n, page),
                    dataset: { documentId: id, page: String(page) } }, `${n} · ${t("page", page)}`);
  };
  const paragraphs = groups.map((group) => {
    const card = cardsById.get(group.id);
    const n = numberOf(group.id);
    const lead = card
      ? h("span", { class: "summary-lead" },
          `${(card.type && card.type.label) || t("unknownType")}${card.date ? ` — ${formatDate(card.date)}` : ""}`)
      : null;
    const p = h("p", { class: "summary-item" }, h("span", { class: "summary-num", "aria-hidden": "true" }, String(n)));
    const body = h("span", {}, lead, lead ? " " : null);
    group.sentences.forEach((s, i) => {
      body.append(s.text, " ");
      const following = group.sentences[i + 1];
      if (!following || following.page !== s.page) body.append(cite(group.id, s.page), " ");
    });
    p.append(body);
    return p;
  });
  const mode = summary.mode === "generated" ? t("summaryGenerated") : t("summaryExtractive");
  return h("section", { class: "summary", "aria-labelledby": "summary-heading" },
    h("h2", { id: "summary-heading", class: "section-heading" }, t("summary"), h("span", { class: "summary-mode" }, mode)),
    paragraphs);
}

/** The whole answer, in reading order. Returns the nodes to put in the results region. */
export function renderAnswer(answer, terms, t) {
  const nodes = [];
  const documents = answer.documents || [];
  const alternatives = answer.alternatives || [];
  const cardsById = new Map(documents.map((d) => [d.id, d]));

  // Documents stored before their vectors: the answer was ranked by words, type and date only.
  if (answer.semantic_search === "pending") {
    nodes.push(h("p", { class: "semantic-pending", role: "status" }, t("semanticPending")));
  }
  if (answer.message === "no-match" || !documents.length) {
    nodes.push(h("div", { class: "no-match", role: "status" },
      h("p", { class: "no-match-title" }, t("noMatch")),
      alternatives.length ? h("p", { class: "no-match-hint" }, t("noMatchHint")) : null));
  } else {
    const summary = renderSummary(answer.summary, cardsById, t);
    if (summary) nodes.push(summary);
    nodes.push(h("h2", { class: "section-heading" }, t("results"),
      h("span", { class: "count" }, t("resultsCount", documents.length))));
    nodes.push(h("div", { class: "cards" }, documents.map((d, i) => renderCard(d, i + 1, terms, t))));
  }
  if (alternatives.length) {
    nodes.push(h("section", { class: "alternatives", "aria-labelledby": "alternatives-heading" },
      h("h2", { id: "alternatives-heading", class: "section-heading" }, t("alternatives")),
      h("div", { class: "cards" },
        alternatives.map((d, i) => renderCard(d, documents.length + i + 1, terms, t, { alternative: true })))));
  }
  return nodes;
}
