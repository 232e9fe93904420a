// The side panel: the patient's record history by document type, and the patient synthesis.

import { h } from "./dom.js";
import { formatDate, pdfUrl } from "./format.js";

const isHidden = (doc) => doc.is_noise || Boolean(doc.canonical_id);
const typeLabel = (doc, t) => (doc.type && (doc.type.label || doc.type.code)) || t("unknownType");
const time = (iso) => (iso ? Date.parse(iso) : NaN);

function docLine(doc, t, { withType = false } = {}) {
  const spec = doc.specialty ? doc.specialty.label || doc.specialty.code : null;
  const who = [withType ? typeLabel(doc, t) : null, spec, doc.author].filter(Boolean).join(" · ");
  return h("li", { class: `tl-doc${isHidden(doc) ? " tl-doc-muted" : ""}` },
    h("a", { href: pdfUrl(doc.id, 1), target: "_blank", rel: "noopener", dataset: { id: doc.id, source: doc.source } },
      h("time", { datetime: doc.date || "" }, doc.date ? formatDate(doc.date) : t("noDate")),
      h("span", { class: "tl-who" }, who || doc.title || doc.source),
      doc.is_noise ? h("span", { class: "tag tag-muted" }, t("noise")) : null,
      doc.canonical_id ? h("span", { class: "tag tag-muted" }, t("duplicate")) : null));
}

/** A row per type: a dot per document along the patient's dates, and the list under a disclosure. */
function typeGroup(label, docs, span, t, open) {
  const track = h("div", { class: "tl-track", "aria-hidden": "true" },
    docs.filter((d) => d.date).map((d) => {
      const x = span.width ? ((time(d.date) - span.start) / span.width) * 100 : 50;
      return h("span", { class: "tl-dot", style: `left: ${x.toFixed(1)}%`, title: `${formatDate(d.date)} — ${label}` });
    }));
  return h("details", { class: "tl-group", open },
    h("summary", {},
      h("span", { class: "tl-label" }, label),
      h("span", { class: "tl-count" }, String(docs.length)),
      h("span", { class: "tl-track-row" }, track)),
    h("ul", { class: "tl-docs" }, docs.map((d) => docLine(d, t))));
}

function groupByType(docs, t) {
  const groups = new Map();
  for (const doc of docs) {
    const label = typeLabel(doc, t);
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(doc);
  }
  const latest = (list) => Math.max(...list.map((d) => time(d.date)).filter((x) => !Number.isNaN(x)), -Infinity);
  return [...groups.entries()].sort((a, b) => latest(b[1]) - latest(a[1]));
}

/** The timeline section. Noise and duplicates are folded away behind `showHidden`. */
export function renderTimeline(docs, t, { showHidden, onToggleHidden }) {
  const visible = docs.filter((d) => !isHidden(d));
  const hidden = docs.filter(isHidden);
  const dates = visible.concat(hidden).map((d) => time(d.date)).filter((x) => !Number.isNaN(x));
  const span = dates.length ? { start: Math.min(...dates), width: Math.max(...dates) - Math.min(...dates) } : { start: 0, width: 0 };
  const years = dates.length
    ? h("div", { class: "tl-years", "aria-hidden": "true" },
        h("span", {}, String(new Date(span.start).getUTCFullYear())),
        h("span", {}, String(new Date(span.start + span.width).getUTCFullYear())))
    : null;
  const nodes = [h("h2", { class: "visually-hidden" }, t("timeline"))];
  if (!docs.length) {
    nodes.push(h("p", { class: "muted" }, t("timelineEmpty")));
    return nodes;
  }
  nodes.push(years);
  const groups = groupByType(visible, t);
  nodes.push(h("div", { class: "tl-groups" }, groups.map(([label, list]) => typeGroup(label, list, span, t, false))));
  if (hidden.length) {
    nodes.push(h("button", { type: "button", class: "link-button tl-toggle", "aria-expanded": String(showHidden),
                             onclick: onToggleHidden },
      showHidden ? t("hideHidden") : t("showHidden", hidden.length)));
    if (showHidden) nodes.push(h("ul", { class: "tl-docs tl-hidden" }, hidden.map((d) => docLine(d, t, { withType: true }))));
  }
  return nodes;
}

// --- patient synthesis (GET /v1/patients/{id}/summary): rendered defensively, whatever its exact shape ---

function textOf(item) {
  if (item === null || item === undefined) return "";
  if (typeof item !== "object") return String(item);
  return String(item.text || item.label || item.name || item.substance || item.value || item.title || "");
}

function sourceLink(item, t) {
  const id = item && typeof item === "object" ? item.document_id : null;
  if (!id) return null;
  const page = item.page || 1;
  return h("a", { class: "source-link", href: pdfUrl(id, page), target: "_blank", rel: "noopener",
                  title: t("openPdfAt", page), "aria-label": t("openPdfAt", page) }, "PDF");
}

const asArray = (value) => (Array.isArray(value) ? value : []);

function itemLine(item, t, { main, detail } = {}) {
  const date = item && typeof item === "object" ? item.date : null;
  return h("li", { class: "syn-item" },
    h("span", { class: "syn-text" }, main || textOf(item),
      detail ? h("span", { class: "syn-detail" }, ` — ${detail}`) : null),
    h("span", { class: "syn-side" }, date ? h("time", { datetime: date }, formatDate(date)) : null, sourceLink(item, t)));
}

function direction(lab, t) {
  const d = String(lab.direction || (typeof lab.trend === "string" ? lab.trend : "")).toLowerCase();
  if (["up", "rising", "increasing"].includes(d)) return ["↗", t("trendUp")];
  if (["down", "falling", "decreasing"].includes(d)) return ["↘", t("trendDown")];
  if (["stable", "flat"].includes(d)) return ["→", t("trendStable")];
  return null;
}

const number = (v) => (typeof v === "number" ? v.toLocaleString("fr-FR", { maximumFractionDigits: 2 }) : String(v ?? ""));

/** A table of analytes; a row opens its trend plot (the PNG loads on first opening). */
function labTable(labs, patientId, plotUrl, t) {
  const body = h("tbody");
  labs.forEach((lab) => {
    const key = lab.key || lab.analyte || lab.code;  // the series key: the plot route plots exactly this row
    const name = lab.label || lab.name || key;
    const trend = direction(lab, t);
    const points = Array.isArray(lab.trend) ? lab.trend.length : 0;
    const flag = lab.flag ? String(lab.flag).toUpperCase() : "";
    const plotRow = h("tr", { class: "lab-plot-row", hidden: true },
      h("td", { colspan: "4" }));
    const toggle = h("button", { type: "button", class: "lab-name", "aria-expanded": "false",
                                 title: points > 1 ? t("plotAlt", name) : null },
      name, points > 1 ? h("span", { class: "lab-points", "aria-hidden": "true" }, ` ${points}`) : null);
    toggle.addEventListener("click", () => {
      const open = plotRow.hidden;
      plotRow.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      const cell = plotRow.firstChild;
      if (open && !cell.firstChild && key) {
        const fail = () => img.replaceWith(h("span", { class: "muted" }, "—"));
        const img = h("img", { class: "lab-plot", alt: t("plotAlt", name), onerror: fail });
        cell.append(img);
        Promise.resolve(plotUrl(patientId, key)).then((src) => { img.src = src; }, fail); // a blob: URL
      }
    });
    body.append(
      h("tr", { class: `lab-row${flag ? " lab-flagged" : ""}`, dataset: { analyte: key || "" } },
        h("th", { scope: "row" }, toggle),
        h("td", { class: "lab-value" }, `${number(lab.value)} ${lab.unit || ""}`.trim(),
          flag ? h("span", { class: "lab-flag", title: flag }, flag) : null,
          lab.read_by === "ocr" ? h("span", { class: "lab-ocr muted", title: t("readByOcr") }, ` ${t("readByOcr")}`) : null),
        h("td", { class: "lab-date" }, lab.date ? formatDate(lab.date) : "",
          " ", sourceLink(lab, t)),
        h("td", { class: "lab-trend" }, trend ? h("span", { title: trend[1], "aria-label": trend[1] }, trend[0]) : "")),
      plotRow);
  });
  return h("table", { class: "labs" }, body);
}

/** The synthesis section, or [] when the endpoint gave nothing usable. */
export function renderSynthesis(data, patientId, plotUrl, t) {
  if (!data || typeof data !== "object") return [];
  const blocks = [];
  const problems = asArray(data.problems);
  if (problems.length) blocks.push(h("h3", { class: "syn-heading" }, t("problems")),
    h("ul", { class: "syn-list" }, problems.map((p) => itemLine(p, t))));
  const medications = asArray(data.medications);
  const current = data.current_treatment;
  const months = current && typeof current.age_days === "number" ? Math.round(current.age_days / 30.4) : null;
  const medHeading = current && current.date
    ? t("treatmentOf", formatDate(current.date), months === null ? "" : months < 1 ? `${current.age_days} j` : `${months} mois`)
    : t("medications");
  if (medications.length) blocks.push(h("h3", { class: "syn-heading" }, medHeading),
    h("ul", { class: "syn-list" }, medications.map((m) => itemLine(m, t, {
      main: [m.name || textOf(m), m.dose].filter(Boolean).join(" "),
      detail: [m.posology || m.dosage, m.prescribed_since ? t("prescribedSince") : null,
               m.not_restated ? t("notRestated") : null,
               m.started_since ? t("startedSince", formatDate(m.start || m.date)) : null,
               m.stopped ? t("stoppedOn", formatDate(m.stopped_on || m.date)) : null,
               m.last_prescribed ? t("lastPrescribed", formatDate(m.start || m.date), formatDate(m.ended_on)) : null,
              ].filter(Boolean).join(" — ") || null,
    }))));
  if (Array.isArray(data.allergies)) blocks.push(h("h3", { class: "syn-heading" }, t("allergies")),
    ...(asArray(data.allergy_contradictions).length
      ? [h("p", { class: "syn-warning", role: "note" }, `⚠ ${t("contradiction")}`)] : []),
    data.allergies.length ? h("ul", { class: "syn-list" }, data.allergies.map((a) => itemLine(a, t)))
      : h("p", { class: "muted syn-none" }, data.allergy_status === "not-stated" ? t("allergiesNotStated") : t("noneFound")));
  const outOfRange = asArray(data.out_of_range);
  const labs = asArray(data.labs);
  if (outOfRange.length) blocks.push(h("h3", { class: "syn-heading" }, t("labsOutOfRange")),
    labTable(outOfRange, patientId, plotUrl, t));
  if (labs.length) blocks.push(h("details", { class: "syn-all-labs", open: !outOfRange.length },
    h("summary", { class: "syn-heading" }, t("labsAll", labs.length)), labTable(labs, patientId, plotUrl, t)));
  const latest = asArray(data.latest_documents || data.latest);
  if (latest.length) blocks.push(h("h3", { class: "syn-heading" }, t("latestByType")),
    h("ul", { class: "syn-list" }, latest.map((d) => itemLine(d, t, {
      main: d.type_label || (d.type && d.type.label) || d.title || t("unknownType"),
      detail: d.count > 1 ? t("documentsOfType", d.count) : null,
    }))));
  return blocks;
}
