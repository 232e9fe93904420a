// The side panel: the patient's record history by document type, and the patient synthesis.

import { h } from "./dom.js";
import { formatDate, pdfUrl } from "./format.js";

const isHidden = (doc) => doc.is_noise || Boolean(doc.canonical_id);
const typeLabel = (doc, t) => (doc.type && (doc.type.label || doc.type.code)) || t("unknownType");
const time = (iso) => (iso ? Date.parse(iso) : NaN);

function docLine(doc, t) {
  const spec = doc.specialty ? doc.specialty.label || doc.specialty.code : null;
  const who = [spec, doc.author].filter(Boolean).join(" · ");
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
  const nodes = [h("h2", { class: "section-heading", id: "timeline-heading" }, t("timeline"),
    h("span", { class: "count" }, t("resultsCount", visible.length)))];
  if (!docs.length) {
    nodes.push(h("p", { class: "muted" }, t("timelineEmpty")));
    return nodes;
  }
  nodes.push(years);
  const groups = groupByType(visible, t);
  nodes.push(h("div", { class: "tl-groups" }, groups.map(([label, list], i) => typeGroup(label, list, span, t, i < 2))));
  if (hidden.length) {
    nodes.push(h("button", { type: "button", class: "link-button tl-toggle", "aria-expanded": String(showHidden),
                             onclick: onToggleHidden },
      showHidden ? t("hideHidden") : t("showHidden", hidden.length)));
    if (showHidden) nodes.push(h("ul", { class: "tl-docs tl-hidden" }, hidden.map((d) => docLine(d, t))));
  }
  return nodes;
}

// --- patient synthesis (GET /v1/patients/{id}/summary): rendered defensively, whatever its exact shape ---

function textOf(item) {
  if (item === null || item === undefined) return "";
  if (typeof item !== "object") return String(item);
  const main = item.label || item.name || item.text || item.value || item.substance || item.drug || item.title || "";
  const extra = [item.dose, item.dosage, item.frequency, item.status].filter(Boolean).join(", ");
  return extra ? `${main} (${extra})` : String(main);
}

function sourceLink(item) {
  const id = item && typeof item === "object" ? item.document_id || (item.source && item.source.document_id) : null;
  if (!id) return null;
  const page = item.page || (item.source && item.source.page) || 1;
  return h("a", { class: "source-link", href: pdfUrl(id, page), target: "_blank", rel: "noopener",
                  "aria-label": `PDF p. ${page}` }, "↗");
}

function list(items) {
  return h("ul", { class: "syn-list" },
    items.map((item) => {
      const date = item && typeof item === "object" ? item.date || item.since : null;
      return h("li", {}, textOf(item), date ? h("time", { class: "muted" }, ` ${formatDate(date)}`) : null, " ",
        sourceLink(item));
    }));
}

const asArray = (value) => (Array.isArray(value) ? value : value && typeof value === "object"
  ? Object.entries(value).map(([key, v]) => (v && typeof v === "object" && !Array.isArray(v) ? { key, ...v } : { key, values: v }))
  : []);

function trendWord(lab, t) {
  const trend = String(lab.trend || "").toLowerCase();
  if (["up", "rising", "hausse", "increasing"].includes(trend)) return ["↗", t("trendUp")];
  if (["down", "falling", "baisse", "decreasing"].includes(trend)) return ["↘", t("trendDown")];
  if (["stable", "flat"].includes(trend)) return ["→", t("trendStable")];
  return null;
}

function labBlock(lab, patientId, plotUrl, t) {
  const key = lab.analyte || lab.key || lab.code;
  const name = lab.label || lab.name || key;
  const values = Array.isArray(lab.values) ? lab.values : [];
  const last = lab.last || lab.latest || values[values.length - 1] || null;
  const lastText = last && typeof last === "object"
    ? [last.value, last.unit || lab.unit].filter((x) => x !== undefined && x !== null).join(" ")
    : last !== null && last !== undefined ? `${last} ${lab.unit || ""}` : "";
  const lastDate = last && typeof last === "object" ? last.date : null;
  const trend = trendWord(lab, t);
  const img = key ? h("img", { class: "lab-plot", src: plotUrl(patientId, key), alt: t("plotAlt", name), loading: "lazy",
                               onerror: (e) => e.target.remove() }) : null;
  return h("div", { class: "lab" },
    h("div", { class: "lab-head" },
      h("span", { class: "lab-name" }, name),
      lastText ? h("span", { class: "lab-value" }, lastText) : null,
      lastDate ? h("time", { class: "muted" }, formatDate(lastDate)) : null,
      trend ? h("span", { class: "lab-trend", title: trend[1], "aria-label": trend[1] }, trend[0]) : null),
    img);
}

/** The synthesis section, or [] when the endpoint gave nothing usable. */
export function renderSynthesis(data, patientId, plotUrl, t) {
  if (!data || typeof data !== "object") return [];
  const blocks = [];
  const latest = asArray(data.latest || data.latest_by_type || data.documents);
  if (latest.length) {
    blocks.push(h("h3", { class: "syn-heading" }, t("latestByType")),
      h("ul", { class: "syn-list" }, latest.map((doc) => {
        const d = doc.document || doc;
        return d.id ? docLine(d, t) : h("li", {}, textOf(d));
      })));
  }
  for (const key of ["problems", "medications", "allergies"]) {
    const items = asArray(data[key]);
    if (items.length) blocks.push(h("h3", { class: "syn-heading" }, t(key)), list(items));
  }
  const labs = asArray(data.labs);
  if (labs.length) {
    blocks.push(h("h3", { class: "syn-heading" }, t("labs")),
      h("div", { class: "labs" }, labs.map((lab) => labBlock(lab, patientId, plotUrl, t))));
  }
  if (!blocks.length) return [];
  return [h("h2", { class: "section-heading", id: "synthesis-heading" }, t("synthesis")), ...blocks];
}
