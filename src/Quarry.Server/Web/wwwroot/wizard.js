// The multi-schema wizard: step 1 source datastores, step 2 enrichment, then the summary.
"use strict";
const Wizard = (() => {
  let s, page;

  const fresh = () => ({
    step: 1, mode: "existing", connections: [], connectionId: "", types: [], conn: { name: "", type: "", host: "", port: "", database: "", username: "", password: "", path: "" },
    catalogs: [], catalog: "", schemas: [], selected: new Set(), search: "", open: false,
    template: "{{ schema }}", teams: [], chosenTeams: new Set(), groups: [], group: "", sync: true,
    validation: null, enrichments: [], enrichmentId: "", takenPrefixes: [], result: null, busy: "",
  });

  const PLACEHOLDER = /\{\{\s*schema\s*\}\}/g;
  const templateOk = () => /\{\{\s*schema\s*\}\}/.test(s.template);
  // A function, not a string: a schema named like "acct$&" must not be read as a replacement pattern.
  const render = schema => s.template.replace(PLACEHOLDER, () => schema).trim();
  const selectedList = () => s.schemas.map(x => x.name).filter(n => s.selected.has(n));
  const connection = () => s.connections.find(c => String(c.id) === String(s.connectionId));
  // Connection types come from GET /api/connector-types: a new connector needs no change here.
  const typeOf = name => s.types.find(t => t.type === name);
  const hasCatalogs = () => typeOf(s.mode === "new" ? s.conn.type : connection()?.type)?.catalog_level !== "none";
  const newConnBody = () => {
    const c = s.conn, t = typeOf(c.type), body = { name: c.name, type: c.type };
    for (const f of t?.fields ?? []) {
      if (f === "port") body.port = Number(c.port) || t.default_port || null;
      else body[f] = c[f] === "" && f !== "password" ? null : c[f];
    }
    return body;
  };
  const ready = () => (s.mode === "existing" ? !!s.connectionId : true);

  // What the validation card (wizard-validation.js), step 2 and the summary (wizard-finish.js) need from step 1.
  const context = {
    state: () => s, render, selectedList, connection, hasCatalogs, newConnBody, templateOk,
    // The selection changed outside step 1's own controls (validation's "Deselect failed schemas").
    selectionChanged: () => { drawSchemas(); drawPreview(); updateNext(); },
    back: () => { s.step = 1; s.open = false; draw(); },
    finished: result => { s.result = result; s.step = 3; draw(); },
  };

  async function mount(target, me, params) {
    page = target; s = fresh();
    if (params.get("connection")) s.connectionId = params.get("connection");
    page.innerHTML = `<div class="empty"><span class="spin"></span></div>`;
    if (me.role === "Member") {
      page.innerHTML = `<div class="page-head"><div><h1>Add datastores</h1></div></div><div class="banner warn">Creating datastores needs the Manager role; your role is Member.</div>`;
      return;
    }
    try {
      [s.connections, s.teams, s.groups, s.types] = await Promise.all([Api.all("/api/connections"), Api.all("/api/teams"), Api.all("/api/datastore-groups"), Api.get("/api/connector-types")]);
      chooseType((typeOf("postgresql") ?? s.types[0])?.type ?? "");
    } catch (e) { page.innerHTML = `<div class="banner err">${esc(e.message)}</div>`; return; }
    if (s.connections.length === 0) s.mode = "new";
    draw();
    if (s.connectionId) loadCatalogs();
  }

  function stepper() {
    const cls = n => s.step === n ? "current" : s.step > n ? "done" : "";
    return `<div class="stepper">
      <div class="step ${cls(1)}"><span class="dot">${s.step > 1 ? "✓" : "1"}</span>Source datastores</div><span class="line"></span>
      <div class="step ${cls(2)}"><span class="dot">${s.step > 2 ? "✓" : "2"}</span>Enrichment <span class="muted" style="font-weight:400">(optional)</span></div><span class="line"></span>
      <div class="step ${cls(3)}"><span class="dot">3</span>Summary</div></div>`;
  }

  function draw() {
    page.innerHTML = `<div class="page-head"><div><h1>Add datastores</h1><p>Discover the schemas of a connection and create a datastore for each, in one go.</p></div></div>
      ${stepper()}<div id="step"></div>`;
    const step = document.getElementById("step");
    if (s.step === 1) drawStep1(step); else if (s.step === 2) WizardFinish.drawStep2(step, context); else WizardFinish.drawSummary(step, context);
  }

  function drawStep1(el) {
    el.innerHTML = `
      <div class="card"><div class="card-head"><div class="section-title"><span class="num">1</span><div><h2>Connection</h2><p>Reuse a saved connection's credentials, or describe a new one.</p></div></div>
        <div class="segmented"><button data-mode="existing" class="${s.mode === "existing" ? "on" : ""}">Existing connection</button><button data-mode="new" class="${s.mode === "new" ? "on" : ""}">New connection</button></div></div>
        <div class="card-body" id="conn"></div></div>
      <div class="card"><div class="card-head"><div class="section-title"><span class="num">2</span><div><h2>Catalog and schemas</h2><p>Pick the catalog, then the schemas to onboard.</p></div></div></div>
        <div class="card-body stack">
          <div id="catalog-row"></div>
          <div class="field"><span class="lbl">Schemas<span class="req">*</span></span><div class="multiselect" id="ms"></div><div id="dup-warning"></div></div>
        </div></div>
      <div class="card"><div class="card-head"><div class="section-title"><span class="num">3</span><div><h2>Datastore properties</h2><p>Applied to every datastore created in this batch.</p></div></div></div>
        <div class="card-body stack">
          <label class="field"><span class="lbl">Name template<span class="req">*</span></span>
            <input type="text" id="template" value="${esc(s.template)}" data-testid="template">
            <div class="hint">Use <code>{{ schema }}</code> where the schema name goes, e.g. <code>production_{{ schema }}</code>.</div>
            <div id="preview"></div></label>
          <div class="field"><span class="lbl">Teams<span class="req">*</span></span><div class="chips" id="teams">
            ${s.teams.map(t => `<button type="button" class="chip ${s.chosenTeams.has(t.name) ? "on" : ""}" data-team="${esc(t.name)}">${esc(t.name)}</button>`).join("") || `<span class="muted">No teams yet: create one with <code>quarry</code> or <code>POST /api/teams</code>.</span>`}</div>
            <div class="hint">Every new datastore belongs to the teams you pick; their members get access through them.</div></div>
          <div class="grid two">
            <label class="field"><span class="lbl">Group</span><input type="text" id="group" list="group-list" value="${esc(s.group)}" placeholder="None — or pick or type a new group">
              <datalist id="group-list">${s.groups.map(g => `<option value="${esc(g.name)}">`).join("")}</datalist>
              <div class="hint">An unknown name creates the group.</div></label>
            <div class="field"><span class="lbl">After creation</span><label class="switch"><input type="checkbox" id="sync" ${s.sync ? "checked" : ""}>Initiate sync on each datastore</label>
              <div class="hint">Detects containers and fields in each schema.</div></div>
          </div>
        </div></div>
      <div class="card"><div class="card-head"><div class="section-title"><span class="num">4</span><div><h2>Validation</h2><p>Connects and checks every selected schema exists and can be read.</p></div></div>
        <button id="test" data-testid="test">Test Connection</button></div>
        <div id="validation"></div></div>
      <div class="footer-bar"><a href="#/datastores" class="muted">Cancel</a><div class="row"><span id="next-hint" class="muted"></span><button class="primary" id="next" data-testid="next">Next: enrichment →</button></div></div>`;

    el.querySelectorAll("[data-mode]").forEach(b => b.onclick = () => { s.mode = b.dataset.mode; resetDiscovery(); drawStep1(el); if (s.mode === "existing" && s.connectionId) loadCatalogs(); });
    drawConnection(); drawCatalog(); drawSchemas(); drawPreview(); drawValidation(); updateNext();
    // Field handlers run first; then, whichever event a control sends (typing, picking, autofill), the footer follows.
    el.oninput = el.onchange = () => updateNext();
    const template = document.getElementById("template");
    template.oninput = template.onchange = () => { s.template = template.value; drawPreview(); };
    el.querySelectorAll("[data-team]").forEach(b => b.onclick = () => {
      const name = b.dataset.team; s.chosenTeams.has(name) ? s.chosenTeams.delete(name) : s.chosenTeams.add(name);
      b.classList.toggle("on", s.chosenTeams.has(name)); updateNext();
    });
    document.getElementById("group").oninput = e => s.group = e.target.value;
    document.getElementById("sync").onchange = e => s.sync = e.target.checked;
    document.getElementById("test").onclick = validate;
    document.getElementById("next").onclick = () => { s.step = 2; draw(); WizardFinish.loadEnrichments(context); };
  }

  function resetDiscovery() { s.catalogs = []; s.catalog = ""; s.schemas = []; s.selected = new Set(); s.validation = null; }

  function drawConnection() {
    const el = document.getElementById("conn");
    if (s.mode === "existing") {
      el.innerHTML = `<label class="field"><span class="lbl">Connection</span><select id="connection" data-testid="connection">
        <option value="">Select a connection…</option>
        ${s.connections.map(c => `<option value="${c.id}" ${String(c.id) === String(s.connectionId) ? "selected" : ""}>${esc(c.name)} — ${esc(c.type)}${c.host ? ` · ${esc(c.host)}` : ""}</option>`).join("")}</select></label>`;
      document.getElementById("connection").onchange = e => { s.connectionId = e.target.value; resetDiscovery(); drawCatalog(); drawSchemas(); drawValidation(); if (s.connectionId) loadCatalogs(); };
      return;
    }
    const c = s.conn, t = typeOf(c.type), fields = t?.fields ?? [];
    const required = f => t?.required_fields.find(r => r.field === f);
    const input = f => `<label class="field"${f === "path" ? ` style="grid-column:span 2"` : ""}><span class="lbl">${LABELS[f] ?? f}${required(f) ? `<span class="req">*</span>` : ""}</span>
      <input type="${f === "password" ? "password" : f === "port" ? "number" : "text"}" data-c="${f}" value="${esc(c[f])}"${f === "password" ? ` autocomplete="new-password"` : ""}${f === "port" && t.default_port ? ` placeholder="${t.default_port}"` : ""}>
      ${f === "path" && required(f) ? `<div class="hint">${esc(required(f).message)}</div>` : ""}</label>`;
    const rows = [["host", "port", "database"], ["username", "password"], ["path"]]
      .map(row => row.filter(f => fields.includes(f))).filter(row => row.length)
      .map(row => `<div class="grid ${row.length === 3 ? "three" : "two"}" style="margin-top:14px">${row.map(input).join("")}</div>`).join("");
    el.innerHTML = `<div class="grid two"><label class="field"><span class="lbl">Name<span class="req">*</span></span><input type="text" data-c="name" value="${esc(c.name)}" placeholder="warehouse-prod"></label>
         <label class="field"><span class="lbl">Type</span>${typeSelect()}</label></div>${rows}
         <div class="row" style="margin-top:14px"><button id="discover">${hasCatalogs() ? "Discover catalogs" : "Discover schemas"}</button><span class="hint">The connection is saved only when you create the datastores.</span></div>`;
    el.querySelectorAll("[data-c]").forEach(i => i.oninput = i.onchange = () => { c[i.dataset.c] = i.value; });
    el.querySelector("#type").onchange = e => { chooseType(e.target.value); resetDiscovery(); drawConnection(); drawCatalog(); drawSchemas(); };
    el.querySelector("#discover").onclick = () => { resetDiscovery(); loadCatalogs(); };
  }

  const LABELS = { host: "Host", port: "Port", database: "Database", username: "Username", password: "Password", path: "Path (on the server)" };

  const typeSelect = () => `<select id="type">${s.types.map(t => `<option value="${esc(t.type)}" ${s.conn.type === t.type ? "selected" : ""}>${esc(t.display_name)}</option>`).join("")}</select>`;

  // A new type keeps what was typed, and takes its own default port where the port was left at the old default.
  function chooseType(type) {
    const before = typeOf(s.conn.type), after = typeOf(type);
    if (!s.conn.port || Number(s.conn.port) === before?.default_port) s.conn.port = after?.default_port ?? "";
    s.conn.type = type;
  }

  function drawCatalog() {
    const el = document.getElementById("catalog-row");
    if (!hasCatalogs()) {
      const reason = typeOf(s.mode === "new" ? s.conn.type : connection()?.type)?.no_catalog_reason;
      el.innerHTML = `<div class="banner info">This connector has no catalog level: its schemas are listed directly.${reason ? ` ${esc(reason[0].toUpperCase() + reason.slice(1))}` : ""}</div>`;
      return;
    }
    el.innerHTML = `<div class="field"><label class="lbl" for="catalog">Catalog<span class="req">*</span></label><div class="row">
      <select id="catalog" class="grow" data-testid="catalog" ${s.catalogs.length ? "" : "disabled"}>
        <option value="">${s.busy === "catalogs" ? "Loading catalogs…" : s.catalogs.length ? "Select a catalog…" : "Choose a connection first"}</option>
        ${s.catalogs.map(c => `<option value="${esc(c.name)}" ${c.name === s.catalog ? "selected" : ""}>${esc(c.name)}${c.existing_datastores.length ? ` (${c.existing_datastores.length} datastore${c.existing_datastores.length > 1 ? "s" : ""})` : ""}</option>`).join("")}</select>
      <button class="icon" id="refresh" title="Reload the catalogs from the connection" data-testid="refresh" ${ready() ? "" : "disabled"}>${s.busy === "catalogs" ? `<span class="spin"></span>` : "↻"} Refresh</button></div></div>`;
    document.getElementById("catalog").onchange = e => { s.catalog = e.target.value; s.schemas = []; s.selected = new Set(); s.validation = null; drawSchemas(); drawValidation(); if (s.catalog) loadSchemas(); };
    document.getElementById("refresh").onclick = loadCatalogs;
  }

  async function loadCatalogs() {
    if (!hasCatalogs()) return loadSchemas();
    s.busy = "catalogs"; drawCatalog();
    try {
      s.catalogs = s.mode === "new" ? await Api.post("/api/connections/catalogs", newConnBody()) : await Api.get(`/api/connections/${s.connectionId}/catalogs`);
      if (s.catalog && !s.catalogs.some(c => c.name === s.catalog)) s.catalog = "";
    } catch (e) { toast(e.message, true); }
    s.busy = ""; drawCatalog();
  }

  async function loadSchemas() {
    s.busy = "schemas"; drawSchemas();
    const query = hasCatalogs() ? `?catalog=${encodeURIComponent(s.catalog)}` : "";
    try {
      s.schemas = s.mode === "new" ? await Api.post(`/api/connections/schemas${query}`, newConnBody()) : await Api.get(`/api/connections/${s.connectionId}/schemas${query}`);
    } catch (e) { toast(e.message, true); }
    s.busy = ""; drawSchemas(); drawPreview();
  }

  function drawSchemas() {
    const el = document.getElementById("ms");
    const count = s.selected.size;
    const label = s.busy === "schemas" ? "Discovering schemas…" : s.schemas.length === 0 ? (hasCatalogs() && !s.catalog ? "Select a catalog first" : "No schemas discovered")
      : count === 0 ? `Select schemas (${s.schemas.length} available)` : `${count} selected`;
    el.innerHTML = `<button type="button" class="ms-toggle" id="ms-toggle" data-testid="schemas" ${s.schemas.length ? "" : "disabled"}>
        <span class="${count ? "count" : "muted"}" data-testid="selected-count">${esc(label)}</span><span class="muted">${s.open ? "▴" : "▾"}</span></button>
      ${s.open && s.schemas.length ? `<div class="ms-panel"><input type="search" id="ms-search" placeholder="Search schemas…" value="${esc(s.search)}" data-testid="schema-search">
        <div class="ms-actions"><span id="ms-shown"></span><span><button type="button" id="ms-all">Select shown</button> <button type="button" id="ms-none">Clear</button></span></div>
        <div class="ms-list" id="ms-list"></div></div>` : ""}
      ${count ? `<div class="selected-chips">${selectedList().slice(0, 12).map(n => `<span class="tag">${esc(n)}</span>`).join("")}${count > 12 ? `<span class="tag">+${count - 12} more</span>` : ""}</div>` : ""}`;
    document.getElementById("ms-toggle").onclick = () => { s.open = !s.open; drawSchemas(); document.getElementById("ms-search")?.focus(); };
    if (s.open && s.schemas.length) {
      const search = document.getElementById("ms-search");
      search.oninput = () => { s.search = search.value; drawOptions(); };
      document.getElementById("ms-all").onclick = () => { shown().forEach(x => s.selected.add(x.name)); changed(); };
      document.getElementById("ms-none").onclick = () => { s.selected.clear(); changed(); };
      drawOptions();
    }
    const dups = selectedList().filter(n => s.schemas.find(x => x.name === n)?.existing_datastores.length);
    const readers = [...new Set(dups.flatMap(n => s.schemas.find(x => x.name === n).existing_datastores.map(describe)))];
    document.getElementById("dup-warning").innerHTML = dups.length
      ? `<div class="banner warn" style="margin-top:10px">⚠ ${dups.length} selected schema${dups.length > 1 ? "s already have" : " already has"} a datastore (${dups.map(esc).join(", ")}: ${readers.map(esc).join(", ")}). Creating another duplicates it.</div>` : "";
  }

  // An enrichment datastore, or one reading the same database through another connection, still reads the schema.
  const describe = d => d.name + (d.enrichment_only ? " (enrichment)" : "")
    + (s.mode === "existing" && String(d.connection.id) === String(s.connectionId) ? "" : ` via ${d.connection.name}`);

  const shown = () => s.schemas.filter(x => x.name.toLowerCase().includes(s.search.toLowerCase()));

  function drawOptions() {
    const list = document.getElementById("ms-list");
    const items = shown();
    document.getElementById("ms-shown").textContent = `${items.length} of ${s.schemas.length} shown`;
    list.innerHTML = items.map(x => {
      const existing = x.existing_datastores.map(describe).join(", ");
      return `<label class="ms-option" data-schema="${esc(x.name)}"><input type="checkbox" value="${esc(x.name)}" ${s.selected.has(x.name) ? "checked" : ""}>
        <span class="name mono">${esc(x.name)}</span>
        ${existing ? `<span class="warn-icon" data-testid="existing-warning" aria-label="Existing datastores: ${esc(existing)}">⚠<span class="tip">Existing datastores: ${esc(existing)}</span></span>` : ""}</label>`;
    }).join("") || `<div class="empty">No schema matches “${esc(s.search)}”.</div>`;
    list.querySelectorAll("input").forEach(i => i.onchange = () => { i.checked ? s.selected.add(i.value) : s.selected.delete(i.value); changed(true); });
  }

  // Keeps the open panel (and the search focus) while the count, chips and preview follow the selection.
  function changed(keepPanel) {
    s.validation = null; drawValidation();
    if (keepPanel) {
      const focus = document.activeElement?.id;
      const scroll = document.getElementById("ms-list")?.scrollTop;
      drawSchemas();
      if (focus) document.getElementById(focus)?.focus();
      if (scroll) document.getElementById("ms-list").scrollTop = scroll;
    } else drawSchemas();
    drawPreview(); updateNext();
  }

  function drawPreview() {
    const el = document.getElementById("preview");
    if (!el) return;
    if (!templateOk()) { el.innerHTML = `<div class="banner err" style="margin-top:10px">The template must contain <code>{{ schema }}</code>; otherwise every datastore would get the same name.</div>`; return; }
    const names = selectedList().length ? selectedList() : s.schemas.slice(0, 3).map(x => x.name);
    if (names.length === 0) { el.innerHTML = `<div class="preview" data-testid="preview"><div class="title">Preview</div><span class="muted">${esc(render("public"))} — select schemas to see their names</span></div>`; return; }
    el.innerHTML = `<div class="preview" data-testid="preview"><div class="title">Preview${selectedList().length ? "" : " (no schema selected yet)"}</div><ul>
      ${names.slice(0, 5).map(n => `<li><span class="from mono">${esc(n)}</span><span class="mono"><span class="arrow">→</span><strong>${esc(render(n))}</strong></span></li>`).join("")}</ul>
      ${names.length > 5 ? `<div class="muted" style="margin-top:6px">…and ${names.length - 5} more</div>` : ""}</div>`;
  }

  function problems() {
    const list = [];
    if (s.mode === "existing" && !s.connectionId) list.push("a connection");
    if (s.mode === "new" && !s.conn.name.trim()) list.push("a connection name");
    if (s.selected.size === 0) list.push("schemas");
    if (!templateOk()) list.push("a valid name template");
    if (s.chosenTeams.size === 0) list.push("at least one team");
    return list;
  }

  function updateNext() {
    const missing = problems();
    const next = document.getElementById("next");
    if (!next) return;
    next.disabled = missing.length > 0;
    document.getElementById("next-hint").textContent = missing.length ? `Still needed: ${missing.join(", ")}` : "";
    document.getElementById("test").disabled = s.selected.size === 0 || !ready();
  }

  const validate = () => WizardValidation.run(context);
  const drawValidation = () => WizardValidation.draw(context);

  // Closes the schema panel on a click outside it.
  document.addEventListener("click", e => {
    if (s?.open && !e.composedPath().some(n => n.id === "ms")) { s.open = false; drawSchemas(); }
  });

  return { mount };
})();
