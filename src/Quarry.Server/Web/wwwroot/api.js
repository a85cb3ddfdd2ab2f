// The UI's only door to Quarry: the REST API, called with the signed-in user's token, so the
// server's access rules apply to everything the UI shows or does.
"use strict";
const Api = (() => {
  const KEY = "quarry.token";
  const token = () => sessionStorage.getItem(KEY);

  async function call(method, path, body) {
    const headers = { Authorization: "Bearer " + token() };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401 && path !== "/api/me") { signOut(); throw new Error("Your session ended; sign in again."); }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(describe(data, response));
    return data;
  }

  // Problem details → one readable sentence, with per-field errors when the server gave them.
  function describe(problem, response) {
    if (!problem) return `${response.status} ${response.statusText}`;
    if (problem.errors) return Object.entries(problem.errors).map(([f, m]) => `${f}: ${[].concat(m).join(" ")}`).join(" ");
    return problem.detail || problem.title || `${response.status}`;
  }

  async function all(path) {
    const sep = path.includes("?") ? "&" : "?";
    const items = [];
    for (let page = 1; ; page++) {
      const result = await call("GET", `${path}${sep}page=${page}&size=1000`);
      const list = Array.isArray(result) ? result : result.items;
      items.push(...list);
      if (Array.isArray(result) || items.length >= result.total || list.length === 0) return items;
    }
  }

  function signIn(value) { sessionStorage.setItem(KEY, value.trim()); }
  function signOut() { sessionStorage.removeItem(KEY); location.hash = "#/"; App.render(); }

  return {
    token, signIn, signOut, all,
    get: p => call("GET", p), post: (p, b) => call("POST", p, b ?? {}),
    put: (p, b) => call("PUT", p, b ?? {}), patch: (p, b) => call("PATCH", p, b), del: (p, b) => call("DELETE", p, b),
  };
})();

// Escapes text for HTML; every server value goes through it.
function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function toast(message, isError) {
  const el = document.getElementById("toast");
  el.textContent = message;
  el.className = "toast show" + (isError ? " err" : "");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.className = "toast", isError ? 6000 : 3000);
}

function syncPill(sync) {
  if (!sync) return `<span class="pill">never synced</span>`;
  const result = (sync.result || "").toLowerCase();
  const cls = result === "success" ? "ok" : result === "failure" || result === "aborted" ? "err" : "run";
  const label = result === "running" ? (sync.start_time ? "syncing" : "queued") : result;
  return `<span class="pill ${cls}" title="${esc(sync.message || "")}">${esc(label)}</span>`;
}
