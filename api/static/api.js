// The HTTP API, as the page uses it. Errors come back as RFC 9457 problem details {type, title, status,
// detail, code}. Every data request carries the bearer token, kept in memory only (never in storage or a
// cookie); PDFs and plots are fetched with it and shown from blob: URLs.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let token = null;
const breakGlass = new Map(); // patient id -> reason, sent with the next request for that patient only

export const session = {
  signIn(value) {
    token = value;
  },
  signOut() {
    token = null;
    breakGlass.clear();
  },
  get signedIn() {
    return Boolean(token);
  },
  /** Open a patient outside the care team: the reason goes with the next request (the server opens a window). */
  breakGlass(patientId, reason) {
    breakGlass.set(patientId, reason);
  },
};

function authHeaders(patientId) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (patientId && breakGlass.has(patientId)) {
    headers["X-Carnet-Break-Glass"] = encodeURIComponent(breakGlass.get(patientId));
    breakGlass.delete(patientId);
  }
  return headers;
}

async function send(path, { patientId, headers = {}, ...options } = {}) {
  const response = await fetch(path, { ...options, headers: { ...headers, ...authHeaders(patientId) } });
  if (!response.ok) {
    let code = "http_error";
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.detail) ({ code = code, detail: message } = body);
    } catch {
      /* not JSON: keep the status line */
    }
    const error = new ApiError(response.status, code, message);
    if (response.status === 401) window.dispatchEvent(new CustomEvent("carnet:unauthenticated", { detail: error }));
    throw error;
  }
  return response;
}

async function request(path, options = {}) {
  const response = await send(path, { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } });
  return response.json();
}

const pid = (id) => encodeURIComponent(id);

export const api = {
  patients: (search, limit = 20) =>
    request(`/v1/patients?${new URLSearchParams({ search: search || "", limit: String(limit) })}`),

  /** One patient by identifier (with a pending break-glass reason, this is the request that opens it). */
  patient: (patientId) => request(`/v1/patients/${pid(patientId)}`, { patientId }),

  ask: (patientId, question, { remove = [], topK = 6, summary = true, language, signal } = {}) =>
    request(`/v1/patients/${pid(patientId)}/ask`, {
      method: "POST",
      patientId,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ question, top_k: topK, summary, remove, language }),
      signal,
    }),

  documents: (patientId) => request(`/v1/patients/${pid(patientId)}/documents`, { patientId }),

  /** The patient synthesis, or null while the server does not offer it (any non-200 answer). */
  synthesis: async (patientId) => {
    try {
      return await request(`/v1/patients/${pid(patientId)}/summary`, { patientId });
    } catch {
      return null;
    }
  },

  /** A blob: URL of one analyte's plot (fetched with the token). */
  labPlotUrl: async (patientId, analyte) => {
    const response = await send(`/v1/patients/${pid(patientId)}/labs/${encodeURIComponent(analyte)}.png`, { patientId });
    return URL.createObjectURL(await response.blob());
  },

  /** Open a PDF route ("/v1/documents/ID/pdf#page=N") in a new tab: fetched with the token, shown from a blob. */
  openPdf: (href) => {
    const [path, fragment] = href.split("#");
    const tab = window.open("", "_blank"); // opened now, while the click still counts as the user's
    if (tab) tab.opener = null;
    send(path, { headers: { Accept: "application/pdf" } })
      .then((response) => response.blob())
      .then((blob) => {
        const url = URL.createObjectURL(new Blob([blob], { type: "application/pdf" }));
        if (tab) tab.location.href = fragment ? `${url}#${fragment}` : url;
      })
      .catch((e) => {
        if (tab) tab.close();
        window.dispatchEvent(new CustomEvent("carnet:error", { detail: e }));
      });
  },
};
