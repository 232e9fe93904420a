// The HTTP API, as the page uses it. Errors come back as {error: {code, message}}.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  if (!response.ok) {
    let code = "http_error";
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      if (body && body.error) ({ code, message } = body.error);
    } catch {
      /* not JSON: keep the status line */
    }
    throw new ApiError(response.status, code, message);
  }
  return response.json();
}

const pid = (id) => encodeURIComponent(id);

export const api = {
  patients: (search, limit = 20) =>
    request(`/v1/patients?${new URLSearchParams({ search: search || "", limit: String(limit) })}`),

  ask: (patientId, question, { remove = [], topK = 6, summary = true, language, signal } = {}) =>
    request(`/v1/patients/${pid(patientId)}/ask`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ question, top_k: topK, summary, remove, language }),
      signal,
    }),

  documents: (patientId) => request(`/v1/patients/${pid(patientId)}/documents`),

  /** The patient synthesis, or null while the server does not offer it (any non-200 answer). */
  synthesis: async (patientId) => {
    try {
      return await request(`/v1/patients/${pid(patientId)}/summary`);
    } catch {
      return null;
    }
  },

  labPlotUrl: (patientId, analyte) => `/v1/patients/${pid(patientId)}/labs/${encodeURIComponent(analyte)}.png`,
};
