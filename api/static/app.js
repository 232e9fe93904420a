// The doctor's page: pick a patient, ask a question, read the right document. Keyboard first.

import { api, session } from "./api.js";
import { clear, h } from "./dom.js";
import { LANGUAGES, translator } from "./i18n.js";
import { formatDate, highlightTerms, readHash, writeHash } from "./format.js";
import { renderAlternatives, renderAmbiguity, renderAnswer, renderChips } from "./results.js";
import { renderSynthesis, renderTimeline } from "./sidebar.js";

const $ = (id) => document.getElementById(id);
const el = {
  patientSearch: $("patient-search"), patientOptions: $("patient-options"), banner: $("patient-banner"),
  lang: $("lang-switch"), form: $("ask-form"), question: $("question"), interpretation: $("interpretation"),
  chips: $("chips"), ambiguity: $("ambiguity"), elapsed: $("elapsed"), widened: $("widened"), error: $("error"), results: $("results"),
  empty: $("empty-state"), timeline: $("timeline"), synthesis: $("synthesis"), shortcuts: $("shortcut-hint"),
  side: $("side"), tabSynthesis: $("tab-synthesis"), tabTimeline: $("tab-timeline"), timelineCount: $("timeline-count"),
  signIn: $("sign-in"), signInForm: $("sign-in-form"), signInToken: $("sign-in-token"), signInError: $("sign-in-error"),
  signOut: $("sign-out"), layout: document.querySelector("main.layout"), picker: document.querySelector(".picker"),
  breakGlass: $("break-glass-banner"),
};

const state = {
  lang: LANGUAGES.includes(localStorage.getItem("carnet.lang")) ? localStorage.getItem("carnet.lang") : "fr",
  patient: null, // {id, name, document_count, latest_date}
  breakGlass: null, // the reason, while the patient on screen was opened outside the care team
  question: "", // the question the answer on screen answers
  removed: [], // chips dropped to widen the search
  answer: null,
  documents: [],
  synthesis: null,
  showHidden: false,
  tab: "synthesis", // side panel tab: "synthesis" or "timeline"
  directory: [], // the first patients of the store, offered before any is chosen
  options: [], // patient suggestions
  activeOption: -1,
};
let t = translator(state.lang);
let askSeq = 0;
let askAbort = null;
window.carnetAskCount = 0;
window.carnetLastAskMs = null;

// --- language --------------------------------------------------------------------------------------

function applyLanguage() {
  t = translator(state.lang);
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  document.title = t("title");
  el.patientSearch.placeholder = t("patientPlaceholder");
  el.question.placeholder = t("questionPlaceholder");
  el.lang.textContent = t("language");
  el.lang.title = t("languageTitle");
  el.lang.lang = state.lang === "fr" ? "en" : "fr";
  clear(el.shortcuts).append(h("span", { class: "shortcuts-title" }, t("shortcuts")),
    ...t("shortcutList").map(([key, what]) => h("span", { class: "shortcut" }, h("kbd", {}, key), " ", what)));
  renderPatientBanner();
  renderEmptyState();
  if (state.answer) renderAnswerState();
  renderSidebar();
  if (window.carnetLastAskMs !== null) el.elapsed.textContent = t("elapsed", window.carnetLastAskMs);
}

el.lang.addEventListener("click", () => {
  state.lang = state.lang === "fr" ? "en" : "fr";
  localStorage.setItem("carnet.lang", state.lang);
  applyLanguage();
});

// --- patient picker (a combobox over GET /v1/patients?search=) --------------------------------------

const patientText = (p) => (p.name ? `${p.name} — ${p.id}` : p.id);
let searchTimer = null;
let searchSeq = 0;

async function loadOptions(text) {
  const seq = ++searchSeq;
  let found = [];
  try {
    found = await api.patients(text.trim(), 20);
  } catch (e) {
    showError(e);
  }
  if (seq !== searchSeq || document.activeElement !== el.patientSearch) return;
  state.options = found;
  state.activeOption = found.length ? 0 : -1;
  renderOptions();
}

function renderOptions() {
  const list = el.patientOptions;
  clear(list);
  if (!state.options.length) {
    list.append(h("li", { class: "picker-empty", role: "option", "aria-disabled": "true" }, t("patientNone")));
    const typed = el.patientSearch.value.trim();
    if (/^[\w.-]{1,64}$/.test(typed)) {
      list.append(h("li", { class: "picker-option break-glass-offer", role: "option", dataset: { breakGlass: typed },
                            onmousedown: (e) => { e.preventDefault(); breakTheGlass(typed); } },
        t("breakGlassOffer", typed)));
    }
  }
  state.options.forEach((p, i) => {
    list.append(h("li", {
        id: `patient-option-${i}`, role: "option", class: "picker-option", "aria-selected": String(i === state.activeOption),
        dataset: { id: p.id },
        onmousedown: (e) => { e.preventDefault(); choosePatient(p); },
      },
      h("span", { class: "picker-name" }, p.name || p.id),
      p.name ? h("span", { class: "picker-id" }, p.id) : null,
      h("span", { class: "picker-meta" }, t("patientDocs", p.document_count))));
  });
  list.hidden = false;
  el.patientSearch.setAttribute("aria-expanded", "true");
  if (state.activeOption >= 0) el.patientSearch.setAttribute("aria-activedescendant", `patient-option-${state.activeOption}`);
  else el.patientSearch.removeAttribute("aria-activedescendant");
}

function closeOptions() {
  el.patientOptions.hidden = true;
  el.patientSearch.setAttribute("aria-expanded", "false");
  el.patientSearch.removeAttribute("aria-activedescendant");
}

el.patientSearch.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => loadOptions(el.patientSearch.value), 120);
});
el.patientSearch.addEventListener("focus", () => {
  el.patientSearch.select();
  loadOptions(state.patient && el.patientSearch.value === patientText(state.patient) ? "" : el.patientSearch.value);
});
el.patientSearch.addEventListener("blur", () => {
  closeOptions();
  if (state.patient) el.patientSearch.value = patientText(state.patient);
});
el.patientSearch.addEventListener("keydown", (e) => {
  const open = !el.patientOptions.hidden;
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    if (!open) return loadOptions(el.patientSearch.value);
    const n = state.options.length;
    if (!n) return;
    state.activeOption = (state.activeOption + (e.key === "ArrowDown" ? 1 : -1) + n) % n;
    renderOptions();
    $(`patient-option-${state.activeOption}`)?.scrollIntoView({ block: "nearest" });
  } else if (e.key === "Enter") {
    e.preventDefault();
    const p = state.options[state.activeOption];
    if (p) choosePatient(p);
  } else if (e.key === "Escape") {
    e.preventDefault();
    e.stopPropagation();
    closeOptions();
    if (state.patient) {
      el.patientSearch.value = patientText(state.patient);
      el.question.focus();
    }
  }
});

/** Open a patient outside the care team: the doctor gives a reason, which the server records. */
async function breakTheGlass(patientId) {
  const reason = (window.prompt(t("breakGlassPrompt")) || "").trim();
  if (!reason) return;
  session.breakGlass(patientId, reason);
  try {
    const patient = await api.patient(patientId);
    await choosePatient(patient, { breakGlass: reason });
  } catch (e) {
    showError(e);
  }
}

async function choosePatient(patient, { focus = true, breakGlass = null } = {}) {
  clearTimeout(searchTimer);
  searchSeq += 1; // a suggestion list still on its way must not reopen
  closeOptions();
  const changed = !state.patient || state.patient.id !== patient.id;
  state.patient = patient;
  if (changed || breakGlass) state.breakGlass = breakGlass;
  el.patientSearch.value = patientText(patient);
  const hash = writeHash({ patient: patient.id });
  if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname);
  if (changed) {
    clearAnswer();
    state.documents = [];
    state.synthesis = null;
    state.showHidden = false;
  }
  renderPatientBanner();
  renderEmptyState();
  if (focus) el.question.focus();
  if (changed) loadSidebar(patient.id);
  // A question typed before the patient was chosen (or kept while switching patients) is asked at once.
  if (changed && focus && el.question.value.trim()) ask();
}

function renderPatientBanner() {
  const p = state.patient;
  el.breakGlass.hidden = !(p && state.breakGlass);
  if (p && state.breakGlass) el.breakGlass.textContent = `${t("breakGlassOn")} — « ${state.breakGlass} »`;
  el.banner.hidden = !p;
  if (!p) return;
  clear(el.banner).append(...[
    h("span", { class: "banner-name" }, p.name || p.id),
    p.name ? h("span", { class: "banner-id" }, p.id) : null,
    h("span", { class: "banner-meta" }, t("patientDocs", p.document_count)),
    p.latest_date ? h("span", { class: "banner-meta" }, t("patientLatest", formatDate(p.latest_date))) : null,
    h("button", { type: "button", class: "link-button", onclick: () => el.patientSearch.focus() }, t("changePatient")),
  ].filter(Boolean));
}

// --- side panel: timeline and synthesis --------------------------------------------------------------

async function loadSidebar(patientId) {
  delete el.side.dataset.ready;
  const [documents, synthesis] = await Promise.all([
    api.documents(patientId).catch((e) => { showError(e); return []; }),
    api.synthesis(patientId),
  ]);
  if (!state.patient || state.patient.id !== patientId) return;
  state.documents = documents;
  state.synthesis = synthesis;
  renderSidebar();
  el.side.dataset.ready = patientId;
}

function renderSidebar() {
  const p = state.patient;
  el.side.hidden = !p;
  if (!p) return;
  clear(el.timeline).append(...renderTimeline(state.documents, t, {
    showHidden: state.showHidden,
    onToggleHidden: () => {
      state.showHidden = !state.showHidden;
      renderSidebar();
      el.timeline.querySelector(".tl-toggle")?.focus();
    },
  }).filter(Boolean));
  el.timelineCount.textContent = state.documents.length
    ? String(state.documents.filter((d) => !d.is_noise && !d.canonical_id).length) : "";
  const synthesis = renderSynthesis(state.synthesis, p.id, api.labPlotUrl, t);
  clear(el.synthesis).append(...synthesis);
  el.tabSynthesis.hidden = !synthesis.length;
  selectTab(synthesis.length ? state.tab : "timeline", { remember: false });
}

function selectTab(name, { remember = true, focus = false } = {}) {
  if (remember) state.tab = name;
  for (const tab of [el.tabSynthesis, el.tabTimeline]) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
    if (selected && focus) tab.focus();
  }
}

for (const tab of [el.tabSynthesis, el.tabTimeline]) {
  tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  tab.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const tabs = [el.tabSynthesis, el.tabTimeline].filter((x) => !x.hidden);
    const next = tabs[(tabs.indexOf(tab) + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    selectTab(next.dataset.tab, { focus: true });
  });
}

// --- asking ----------------------------------------------------------------------------------------

const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function ask({ newQuestion = true } = {}) {
  hideError();
  if (!state.patient) {
    showError(new Error(t("choosePatientFirst")));
    el.patientSearch.focus();
    return;
  }
  const question = newQuestion ? el.question.value.trim() : state.question;
  if (!question) return;
  if (newQuestion) state.removed = [];
  const seq = ++askSeq;
  askAbort?.abort();
  askAbort = new AbortController();
  const started = performance.now();
  el.results.setAttribute("aria-busy", "true");
  el.elapsed.textContent = t("searching");
  let answer;
  try {
    // chips are labelled in the interface's language, whatever the question's
    answer = await api.ask(state.patient.id, question, { remove: state.removed, language: state.lang,
                                                        signal: askAbort.signal });
  } catch (e) {
    if (seq !== askSeq || e.name === "AbortError") return;
    el.results.setAttribute("aria-busy", "false");
    el.elapsed.textContent = "";
    showError(e);
    return;
  }
  if (seq !== askSeq) return;
  state.question = question;
  state.answer = answer;
  renderAnswerState();
  await nextPaint();
  if (seq !== askSeq) return;
  const ms = Math.round(performance.now() - started);
  window.carnetLastAskMs = ms;
  window.carnetAskCount += 1;
  el.elapsed.textContent = t("elapsed", ms);
  const server = answer.timings_ms || {};
  el.elapsed.title = `${t("elapsedTitle")}${Object.keys(server).length ? ` — serveur : ${Object.entries(server)
    .map(([k, v]) => `${k} ${Math.round(v)} ms`).join(", ")}` : ""}`;
}

function renderAnswerState() {
  const answer = state.answer;
  const chips = (answer.interpretation && answer.interpretation.chips) || [];
  const readings = (answer.interpretation && answer.interpretation.alternatives) || [];
  clear(el.chips).append(...renderChips(chips, t, removeChip), ...renderAlternatives(readings, t, chooseReading));
  el.interpretation.hidden = !chips.length;
  const ambiguity = renderAmbiguity((answer.interpretation && answer.interpretation.ambiguity) || [], t, chooseReading);
  clear(el.ambiguity).append(...ambiguity);
  el.ambiguity.hidden = !ambiguity.length;
  el.widened.hidden = !state.removed.length;
  if (state.removed.length) {
    clear(el.widened).append(t("widened", state.removed.map((c) => c.label).join(", ")), " ",
      h("button", { type: "button", class: "link-button", onclick: restoreChips }, t("resetWiden")));
  }
  const terms = highlightTerms(state.question);
  clear(el.results).append(...renderAnswer(answer, terms, t));
  el.results.setAttribute("aria-busy", "false");
  renderEmptyState();
}

function removeChip(chip) {
  state.removed = [...state.removed, { kind: chip.kind, value: chip.value, label: chip.label }];
  el.question.focus();
  ask({ newQuestion: false });
}

// An ambiguous abbreviation read the other way: drop any earlier choice for the same word, then re-ask.
function chooseReading(chip) {
  const word = chip.value.split("=")[0];
  state.removed = state.removed.filter((c) => !(c.kind === "reading" && c.value.split("=")[0] === word));
  removeChip(chip);
}

function restoreChips() {
  state.removed = [];
  el.question.focus();
  ask({ newQuestion: false });
}

function clearAnswer() {
  askSeq += 1;
  askAbort?.abort();
  state.answer = null;
  state.question = "";
  state.removed = [];
  clear(el.results);
  clear(el.chips);
  el.interpretation.hidden = true;
  el.widened.hidden = true;
  el.ambiguity.hidden = true;
  el.elapsed.textContent = "";
  el.results.setAttribute("aria-busy", "false");
  hideError();
  renderEmptyState();
}

el.form.addEventListener("submit", (e) => {
  e.preventDefault();
  ask();
});

function renderEmptyState() {
  el.empty.hidden = Boolean(state.answer);
  if (state.answer) return;
  clear(el.empty);
  if (state.patient) {
    el.empty.append(h("p", {}, t("emptyStateAsk")),
      h("div", { class: "examples" }, h("span", { class: "muted" }, `${t("examples")} :`),
        t("exampleQuestions").map((q) => h("button", { type: "button", class: "example", onclick: () => {
          el.question.value = q;
          el.question.focus();
          ask();
        } }, q))));
    return;
  }
  el.empty.append(h("p", {}, t("emptyState")));
  if (state.directory.length) {
    el.empty.append(h("ul", { class: "directory", "aria-label": t("patientLabel") },
      state.directory.map((p) => h("li", {}, h("button", { type: "button", class: "directory-item",
                                                           dataset: { id: p.id }, onclick: () => choosePatient(p) },
        h("span", { class: "picker-name" }, p.name || p.id),
        p.name ? h("span", { class: "picker-id" }, p.id) : null,
        h("span", { class: "picker-meta" }, [t("patientDocs", p.document_count),
          p.latest_date ? t("patientLatest", formatDate(p.latest_date)) : null].filter(Boolean).join(" · ")))))));
  }
}

// --- errors ----------------------------------------------------------------------------------------

function showError(e) {
  el.error.hidden = false;
  const message = e && e.status === 403 ? t("forbidden") : e.message || e;
  el.error.textContent = `${t("error")} : ${message}`;
}

function hideError() {
  el.error.hidden = true;
  el.error.textContent = "";
}

// --- keyboard ----------------------------------------------------------------------------------------

const cards = () => [...el.results.querySelectorAll(".card")];
const typing = (node) => node && (node.tagName === "INPUT" || node.tagName === "TEXTAREA" || node.isContentEditable);

function openCard(card) {
  api.openPdf(card.dataset.href);
}

// PDF links carry their route for the reader's eye; a click fetches the PDF with the token instead.
document.addEventListener("click", (e) => {
  const link = e.target.closest && e.target.closest("a[href^='/v1/documents/']");
  if (!link || e.button !== 0) return;
  e.preventDefault();
  api.openPdf(link.getAttribute("href"));
});
window.addEventListener("carnet:error", (e) => showError(e.detail));

document.addEventListener("keydown", (e) => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const active = document.activeElement;
  const onCard = active && active.classList && active.classList.contains("card");
  if (e.key === "/" && !typing(active)) {
    e.preventDefault();
    el.question.focus();
    el.question.select();
  } else if (e.key === "Escape") {
    if (!el.patientOptions.hidden) return;
    e.preventDefault();
    el.question.value = "";
    clearAnswer();
    el.question.focus();
  } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && (onCard || active === el.question)) {
    const list = cards();
    if (!list.length) return;
    e.preventDefault();
    const i = onCard ? list.indexOf(active) : -1;
    if (e.key === "ArrowDown") list[Math.min(i + 1, list.length - 1)].focus();
    else if (i <= 0) el.question.focus();
    else list[i - 1].focus();
  } else if (onCard && (e.key === "Enter" || e.key === "o" || e.key === "O")) {
    e.preventDefault();
    openCard(active);
  }
});

// --- start -----------------------------------------------------------------------------------------

async function restoreFromHash() {
  const { patient } = readHash(location.hash);
  if (!patient || !session.signedIn || (state.patient && state.patient.id === patient)) return false;
  try {
    const found = await api.patients(patient, 50);
    const match = found.find((p) => p.id === patient);
    if (match) {
      await choosePatient(match);
      return true;
    }
  } catch (e) {
    showError(e);
  }
  return false;
}

window.addEventListener("hashchange", () => {
  if (takeTokenFromUrl()) start();
  else restoreFromHash();
});

// --- signing in: the token lives in this page's memory only ---------------------------------------------

/** A sign-in link's token ("#token=..."), taken into memory and removed from the URL and its history. */
function takeTokenFromUrl() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = params.get("token");
  if (!token) return false;
  session.signIn(token);
  history.replaceState(null, "", writeHash({ patient: params.get("patient") }) || location.pathname);
  return true;
}

function showSignIn(message) {
  el.signIn.hidden = false;
  el.layout.hidden = true;
  el.picker.hidden = true;
  el.banner.hidden = true;
  el.breakGlass.hidden = true;
  el.signOut.hidden = true;
  el.signInError.hidden = !message;
  el.signInError.textContent = message || "";
  el.signInToken.value = "";
  el.signInToken.focus();
}

function signOut(message) {
  session.signOut();
  clearAnswer();
  state.patient = null;
  state.breakGlass = null;
  state.directory = [];
  history.replaceState(null, "", location.pathname);
  showSignIn(message);
}

el.signOut.addEventListener("click", () => signOut());
window.addEventListener("carnet:unauthenticated", () => {
  if (session.signedIn) signOut(t("signedOut"));
});

el.signInForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = el.signInToken.value.trim();
  const fromLink = /[#&]token=([^&\s]+)/.exec(text);
  const token = fromLink ? decodeURIComponent(fromLink[1]) : text;
  if (!token) return;
  session.signIn(token);
  start();
});

async function start() {
  let found;
  try {
    found = await api.patients("", 12);
  } catch (e) {
    session.signOut();
    showSignIn(e.status === 401 ? t("signInInvalid") : `${t("error")} : ${e.message}`);
    return;
  }
  el.signIn.hidden = true;
  el.layout.hidden = false;
  el.picker.hidden = false;
  el.signOut.hidden = false;
  state.directory = found;
  renderEmptyState();
  el.question.focus();
  restoreFromHash();
}

applyLanguage();
if (takeTokenFromUrl()) start();
else showSignIn();
