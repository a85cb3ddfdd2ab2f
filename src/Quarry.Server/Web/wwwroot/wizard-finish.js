// The wizard's second half: step 2 (enrichment link), Create, and the summary. wizard.js owns the state.
"use strict";
const WizardFinish = (() => {
  // Mirrors EnrichmentPrefix.From on the server, for the preview only; the server makes each prefix unique.
  function prefixFrom(name) {
    let out = "_", prevUnderscore = true;
    for (let i = 0; i < name.length; i++) {
      const c = name[i];
      if (/[A-Za-z0-9]/.test(c)) {
        if (/[A-Z]/.test(c) && i > 0 && /[a-z]/.test(name[i - 1]) && !prevUnderscore) out += "_";
        out += c.toLowerCase(); prevUnderscore = false;
      } else if (!prevUnderscore) { out += "_"; prevUnderscore = true; }
    }
    out = out.replace(/_+$/, "") || "_ds";
    return out.length > 60 ? out.slice(0, 60).replace(/_+$/, "") : out;
  }

  // Mirrors EnrichmentPrefix.Unique: a numeric suffix on a clash, within the 60-character limit.
  function unique(prefix, taken) {
    let candidate = prefix;
    for (let n = 2; taken.has(candidate); n++) {
      const suffix = "_" + n;
      candidate = (prefix.length + suffix.length > 60 ? prefix.slice(0, 60 - suffix.length) : prefix) + suffix;
    }
    taken.add(candidate);
    return candidate;
  }

  async function loadEnrichments(w) {
    const s = w.state();
    try { s.enrichments = await Api.all("/api/datastores?enrichment_only=true"); } catch (e) { toast(e.message, true); }
    if (s.step === 2) drawStep2(document.getElementById("step"), w);
  }

  function drawStep2(el, w) {
    const s = w.state();
    const { render, selectedList, connection, hasCatalogs } = w;
    const taken = new Set(s.takenPrefixes);
    const names = selectedList().map(n => ({ schema: n, name: render(n), prefix: unique(prefixFrom(render(n)), taken) }));
    el.innerHTML = `
      <div class="card"><div class="card-head"><div class="section-title"><span class="num">1</span><div><h2>Enrichment datastore</h2><p>Optionally link every new datastore to one enrichment datastore, where analysis results and anomalies are written.</p></div></div></div>
        <div class="card-body stack">
          <label class="field"><span class="lbl">Enrichment datastore</span><select id="enrichment" data-testid="enrichment">
            <option value="">None — skip linking</option>
            ${s.enrichments.map(d => `<option value="${d.id}" ${String(d.id) === String(s.enrichmentId) ? "selected" : ""}>${esc(d.name)}</option>`).join("")}</select>
            <div class="hint">Each datastore gets its own table prefix in the enrichment datastore, so their tables never clash. A prefix already used there gets a numeric suffix.</div></label>
        </div>
        <table class="table"><thead><tr><th>Schema</th><th>Datastore</th><th>Enrichment prefix</th></tr></thead><tbody>
          ${names.slice(0, 8).map(n => `<tr><td class="mono muted">${esc(n.schema)}</td><td><strong>${esc(n.name)}</strong></td><td class="mono">${s.enrichmentId ? esc(n.prefix) : `<span class="muted">—</span>`}</td></tr>`).join("")}
          ${names.length > 8 ? `<tr><td colspan="3" class="muted">…and ${names.length - 8} more</td></tr>` : ""}</tbody></table></div>
      <div class="card"><div class="card-body"><div class="grid three">
        <div><div class="muted">Connection</div><strong>${esc(s.mode === "new" ? `${s.conn.name} (new)` : connection()?.name)}</strong></div>
        <div><div class="muted">Datastores</div><strong>${names.length}</strong>${hasCatalogs() ? ` in <span class="mono">${esc(s.catalog)}</span>` : ""}</div>
        <div><div class="muted">Teams</div><strong>${[...s.chosenTeams].map(esc).join(", ")}</strong></div></div></div></div>
      <div class="footer-bar"><button class="ghost" id="back">← Back</button><button class="primary" id="create" data-testid="create">Create ${names.length} datastore${names.length === 1 ? "" : "s"}</button></div>`;
    document.getElementById("enrichment").onchange = async e => {
      s.enrichmentId = e.target.value; s.takenPrefixes = [];
      // The prefixes already written in that enrichment datastore, so the preview shows the suffix the server will add.
      if (s.enrichmentId) {
        try { s.takenPrefixes = (await Api.all("/api/datastores")).filter(d => String(d.enrichment_datastore_id) === s.enrichmentId).map(d => d.enrichment_prefix); }
        catch (err) { toast(err.message, true); }
      }
      drawStep2(el, w);
    };
    document.getElementById("back").onclick = w.back;
    document.getElementById("create").onclick = () => create(w);
  }

  async function create(w) {
    const s = w.state();
    const { selectedList, hasCatalogs, newConnBody } = w;
    const button = document.getElementById("create");
    button.disabled = true; button.innerHTML = `<span class="spin"></span> Creating…`;
    const body = {
      catalog: hasCatalogs() ? s.catalog : null, schemas: selectedList(), name_template: s.template,
      teams: [...s.chosenTeams], group: s.group.trim() || null, trigger_catalog: s.sync,
      enrichment_datastore_id: s.enrichmentId ? Number(s.enrichmentId) : null,
    };
    try {
      w.finished(s.mode === "new"
        ? await Api.post("/api/connections/datastores/bulk", { ...body, connection: newConnBody() })
        : await Api.post(`/api/connections/${s.connectionId}/datastores/bulk`, body));
    } catch (e) {
      toast(e.message, true);
      button.disabled = false; button.textContent = "Create";
    }
  }

  async function drawSummary(el, w) {
    const s = w.state();
    const r = s.result;
    el.innerHTML = `<div class="stat-row">
        <div class="stat ok"><div class="v" data-testid="created-count">${r.created.length}</div><div class="k">datastores created</div></div>
        <div class="stat ${r.errors.length ? "err" : ""}"><div class="v" data-testid="error-count">${r.errors.length}</div><div class="k">schemas failed</div></div>
        <div class="stat"><div class="v">${s.sync ? "Queued" : "Off"}</div><div class="k">initial sync</div></div></div>
      ${r.errors.length ? `<div class="card"><div class="card-head"><h2>Errors</h2></div><table class="table" data-testid="errors"><thead><tr><th>Schema</th><th>Error</th></tr></thead><tbody>
        ${r.errors.map(e => `<tr><td class="mono">${esc(e.schema_name)}</td><td style="color:var(--err)">${esc(e.error)}</td></tr>`).join("")}</tbody></table></div>` : ""}
      <div class="card"><div class="card-head"><h2>Created datastores</h2><span class="muted">IDs ${esc(r.created.join(", ") || "—")}</span></div><div id="created"><div class="empty"><span class="spin"></span></div></div></div>
      <div class="footer-bar"><button id="again">Add more datastores</button><a href="#/datastores"><button class="primary">View all datastores →</button></a></div>`;
    document.getElementById("again").onclick = () => { location.hash = "#/wizard?x=" + Date.now(); };
    const ids = new Set(r.created);
    try {
      const all = await Api.all(`/api/datastores?connection_id=${r.connection_id}`);
      const created = all.filter(d => ids.has(d.id));
      document.getElementById("created").innerHTML = created.length === 0 ? `<div class="empty">None.</div>`
        : `<table class="table" data-testid="created"><thead><tr><th>ID</th><th>Name</th><th>Schema</th><th>Teams</th><th>Enrichment prefix</th><th>Sync</th></tr></thead><tbody>
          ${created.map(d => `<tr><td class="muted">${d.id}</td><td><strong>${esc(d.name)}</strong></td><td class="mono">${esc(d.schema)}</td>
            <td>${d.teams.map(t => `<span class="tag">${esc(t.name)}</span>`).join("")}</td><td class="mono">${esc(d.enrichment_prefix ?? "—")}</td><td>${syncPill(d.latest_sync)}</td></tr>`).join("")}</tbody></table>`;
    } catch (e) { document.getElementById("created").innerHTML = `<div class="banner err">${esc(e.message)}</div>`; }
  }

  return { loadEnrichments, drawStep2, drawSummary };
})();
