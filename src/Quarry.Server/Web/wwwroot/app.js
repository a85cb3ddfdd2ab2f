// Shell, sign-in, and the list pages. The wizard lives in wizard.js.
"use strict";
const App = (() => {
  let me = null;
  const root = () => document.getElementById("app");

  async function render() {
    if (!Api.token()) return renderSignIn();
    if (!me) {
      try { me = await Api.get("/api/me"); }
      catch (e) { sessionStorage.removeItem("quarry.token"); return renderSignIn(e.message); }
    }
    const route = location.hash.replace(/^#\/?/, "").split("?")[0] || "datastores";
    const section = route.split("/")[0];
    root().innerHTML = `
      <div class="shell">
        <aside class="sidebar">
          <div class="brand"><img src="/ui/logo.svg" alt="">Quarry</div>
          <nav class="nav">
            <a href="#/datastores" class="${section === "datastores" ? "active" : ""}"><span class="ico">▤</span>Datastores</a>
            <a href="#/connections" class="${route === "connections" ? "active" : ""}"><span class="ico">⛁</span>Connections</a>
            <a href="#/wizard" class="${route === "wizard" ? "active" : ""}" data-testid="nav-wizard"><span class="ico">+</span>Add datastores</a>
          </nav>
          <div class="who"><strong>${esc(me.name)}</strong>${esc(me.role)}<br><button id="signout">Sign out</button></div>
        </aside>
        <main class="main" id="page"></main>
      </div>`;
    document.getElementById("signout").onclick = () => { me = null; Api.signOut(); };
    const page = document.getElementById("page");
    if (route === "connections") return renderConnections(page);
    if (route === "wizard") return Wizard.mount(page, me, new URLSearchParams(location.hash.split("?")[1] || ""));
    if (section === "datastores" && route.split("/")[1]) return DatastorePage.mount(page, me, route.split("/")[1]);
    return renderDatastores(page);
  }

  function renderSignIn(error) {
    root().innerHTML = `
      <div class="signin">
        <form class="card card-body" id="signin-form">
          <div class="brand"><img src="/ui/logo.svg" alt="">Quarry</div>
          <p class="sub">Sign in with an API token. <code>quarry serve</code> prints the admin token on first start; an admin can issue yours.</p>
          <label class="field"><span class="lbl">API token</span>
            <input type="password" id="token" autocomplete="off" placeholder="qry_…" required></label>
          ${error ? `<div class="banner err" style="margin-top:12px">${esc(error)}</div>` : ""}
          <button class="primary" style="margin-top:16px;width:100%;justify-content:center" type="submit">Sign in</button>
        </form>
      </div>`;
    document.getElementById("signin-form").onsubmit = e => {
      e.preventDefault();
      Api.signIn(document.getElementById("token").value);
      render();
    };
  }

  async function renderConnections(page) {
    page.innerHTML = `
      <div class="page-head"><div><h1>Connections</h1><p>How Quarry reaches your databases. Passwords are write-only.</p></div>
        <a href="#/wizard"><button class="primary">+ Add datastores</button></a></div>
      <div class="card" id="list"><div class="empty"><span class="spin"></span></div></div>`;
    try {
      const [connections, datastores] = await Promise.all([Api.all("/api/connections"), Api.all("/api/datastores")]);
      const used = id => datastores.filter(d => d.connection_id === id).length;
      document.getElementById("list").innerHTML = connections.length === 0
        ? `<div class="empty">No connections yet. Add datastores to create your first one.</div>`
        : `<table class="table"><thead><tr><th>Name</th><th>Type</th><th>Host</th><th>Database / path</th><th>User</th><th>Datastores</th><th></th></tr></thead><tbody>
          ${connections.map(c => `<tr>
            <td><strong>${esc(c.name)}</strong></td><td><span class="tag">${esc(c.type)}</span></td>
            <td class="mono muted">${esc(c.host ? `${c.host}:${c.port ?? ""}` : "—")}</td>
            <td class="mono">${esc(c.database ?? c.path ?? "—")}</td><td class="muted">${esc(c.username ?? "—")}</td>
            <td>${used(c.id)}</td>
            <td style="text-align:right"><a href="#/wizard?connection=${c.id}">Add datastores →</a></td></tr>`).join("")}
          </tbody></table>`;
    } catch (e) { document.getElementById("list").innerHTML = `<div class="banner err">${esc(e.message)}</div>`; }
  }

  async function renderDatastores(page) {
    page.innerHTML = `
      <div class="page-head"><div><h1>Datastores</h1><p>Each datastore is one schema Quarry watches.</p></div>
        <div class="row"><input type="search" id="filter" placeholder="Filter by name" style="width:220px">
        <a href="#/wizard"><button class="primary">+ Add datastores</button></a></div></div>
      <div class="card" id="list"><div class="empty"><span class="spin"></span></div></div>`;
    let items = [];
    const draw = () => {
      const text = document.getElementById("filter")?.value.toLowerCase() ?? "";
      const shown = items.filter(d => d.name.toLowerCase().includes(text));
      const list = document.getElementById("list");
      if (!list) return;
      list.innerHTML = shown.length === 0
        ? `<div class="empty">${items.length === 0 ? "No datastores yet." : "Nothing matches."}</div>`
        : `<table class="table" data-testid="datastores"><thead><tr><th>Name</th><th>Connection</th><th>Database · schema</th><th>Teams</th><th>Enrichment</th><th>Last sync</th><th style="text-align:right">Containers</th></tr></thead><tbody>
          ${shown.map(d => `<tr data-name="${esc(d.name)}">
            <td><a href="#/datastores/${d.id}" class="ds-link"><strong>${esc(d.name)}</strong></a>${d.enrichment_only ? ` <span class="tag">enrichment</span>` : ""}${d.group ? `<div class="muted" style="font-size:12px">${esc(d.group.name)}</div>` : ""}</td>
            <td class="muted">${esc(d.connection.name)}</td>
            <td class="mono">${esc([d.database, d.schema].filter(Boolean).join(" · ") || "—")}</td>
            <td>${d.teams.map(t => `<span class="tag">${esc(t.name)}</span>`).join("")}</td>
            <td>${d.enrich_datastore ? `<div>${esc(d.enrich_datastore.name)}</div><div class="mono muted" title="Table prefix in the enrichment datastore">${esc(d.enrichment_prefix)}</div>` : `<span class="muted">—</span>`}</td>
            <td>${syncPill(d.latest_sync)}${d.catalog_stale ? ` <span class="pill warn needs-sync" title="Moved to another connection, database or schema since its catalog was read">needs sync</span>` : ""}</td>
            <td style="text-align:right" class="container-count">${d.container_count}</td></tr>`).join("")}
          </tbody></table>`;
    };
    const load = async () => {
      try { items = await Api.all("/api/datastores"); draw(); }
      catch (e) { document.getElementById("list").innerHTML = `<div class="banner err">${esc(e.message)}</div>`; }
    };
    document.getElementById("filter").oninput = draw;
    await load();
    // Syncs run on server workers; keep the page current while any is queued or running.
    const timer = setInterval(() => {
      if (!document.getElementById("list")) return clearInterval(timer);
      if (items.some(d => (d.latest_sync?.result || "").toLowerCase() === "running")) load();
    }, 2000);
  }

  window.addEventListener("hashchange", () => render());
  document.addEventListener("DOMContentLoaded", () => render());
  return { render };
})();
