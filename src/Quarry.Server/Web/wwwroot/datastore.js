// One datastore's page (#/datastores/{id}): its containers, checks, anomalies and operations, one section each.
// A section is { id, title, render(body, ctx) }; another file adds its own with DatastorePage.addSection(section, after).
"use strict";
const DatastorePage = (() => {
  const sections = [];
  let timer = null;

  function addSection(section, after) {
    const at = after ? sections.findIndex(s => s.id === after) : -1;
    sections.splice(at < 0 ? sections.length : at + 1, 0, section);
  }

  async function mount(page, me, id) {
    clearInterval(timer);
    page.innerHTML = `<div class="empty"><span class="spin"></span></div>`;
    let datastore;
    try {
      if (!/^\d+$/.test(id)) throw new Error(`'${id}' is not a datastore id.`);
      datastore = await Api.get(`/api/datastores/${id}`);
    }
    catch (e) { page.innerHTML = `<p><a href="#/datastores">← Datastores</a></p><div class="banner err" style="margin-top:12px">${esc(e.message)}</div>`; return; }
    const ctx = { id: datastore.id, datastore, me, canChange: canChange(me, datastore), reload: {} };
    page.innerHTML = `
      <p><a href="#/datastores">← Datastores</a></p>
      <div class="page-head" style="margin-top:8px"><div><h1 data-testid="datastore-name">${esc(datastore.name)}</h1>
        <p>${esc(datastore.connection.name)} · <span class="mono">${esc([datastore.database, datastore.schema].filter(Boolean).join(" · ") || "—")}</span>
        · ${datastore.teams.map(t => `<span class="tag">${esc(t.name)}</span>`).join("")}</p></div>
        <div>${syncPill(datastore.latest_sync)}</div></div>
      <nav class="row ds-jump" aria-label="Sections of this datastore">${sections.map(s => `<a href="#/datastores/${datastore.id}" data-jump="${s.id}">${esc(s.title)}</a>`).join("")}</nav>
      ${sections.map(s => `
        <section class="card ds-section" id="section-${s.id}" data-testid="section-${s.id}" aria-labelledby="title-${s.id}">
          <div class="card-head"><h2 id="title-${s.id}">${esc(s.title)}</h2><div class="row" id="tools-${s.id}"></div></div>
          <div class="ds-body" id="body-${s.id}"><div class="empty"><span class="spin"></span></div></div>
        </section>`).join("")}`;
    page.querySelectorAll("[data-jump]").forEach(a => a.onclick = e => {
      e.preventDefault();
      document.getElementById(`section-${a.dataset.jump}`).scrollIntoView();
    });
    for (const s of sections) {
      const body = document.getElementById(`body-${s.id}`);
      const tools = document.getElementById(`tools-${s.id}`);
      ctx.reload[s.id] = () => s.render(body, ctx, tools).catch(e => { body.innerHTML = `<div class="banner err">${esc(e.message)}</div>`; });
      ctx.reload[s.id]();
    }
    // Operations run on server workers; keep progress current while any is queued or running.
    timer = setInterval(() => {
      if (!document.getElementById("section-operations")) return clearInterval(timer);
      if (ctx.running) ctx.reload.operations();
    }, 2000);
  }

  // Changing anomalies needs Author or Editor in one of the datastore's teams (the API decides; this only hides controls).
  function canChange(me, datastore) {
    if (me.role !== "Member") return true;
    return datastore.teams.some(t => me.teams.some(m => m.id === t.id && (m.permission === "Author" || m.permission === "Editor")));
  }

  function resultPill(result, title) {
    if (!result) return `<span class="pill">not scanned</span>`;
    const cls = result === "passed" || result === "success" ? "ok" : result === "failed" || result === "failure" || result === "aborted" ? "err" : result === "running" ? "run" : "warn";
    return `<span class="pill ${cls}" title="${esc(title || "")}">${esc(result)}</span>`;
  }

  const number = n => n === null || n === undefined ? "—" : Number(n).toLocaleString("en-US");
  const when = t => t ? new Date(t).toLocaleString() : "—";
  const checkName = c => `${c.rule_type ?? c.rule}(${(c.fields || []).map(f => f.name ?? f).join(", ")})`;

  addSection({
    id: "containers", title: "Containers",
    async render(body, ctx) {
      const [containers, scans] = await Promise.all([
        Api.all(`/api/containers?datastore=${ctx.id}`), Api.all(`/api/container-scans?datastore=${ctx.id}&latest=true`)]);
      const last = new Map(scans.map(s => [s.container_id, s]));
      body.innerHTML = containers.length === 0 ? `<div class="empty">No containers yet: sync the datastore.</div>` : `
        <table class="table" data-testid="containers"><thead><tr><th>Name</th><th>Type</th><th style="text-align:right">Fields</th><th>Last scan</th><th style="text-align:right">Rows</th><th>Checks</th></tr></thead><tbody>
        ${containers.map(c => { const s = last.get(c.id); return `<tr data-name="${esc(c.name)}">
          <td><strong>${esc(c.name)}</strong></td><td><span class="tag">${esc(c.container_type)}</span></td>
          <td style="text-align:right" class="field-count">${c.field_count}</td>
          <td class="last-scan">${s ? `${resultPill(s.checks_failed > 0 ? "failed" : s.checks_unasserted > 0 ? "unasserted" : "passed", s.message)} <span class="muted">${esc(when(s.created))}</span>` : resultPill(null)}</td>
          <td style="text-align:right">${s ? number(s.record_count) : "—"}</td>
          <td class="muted">${s ? `${s.checks_passed} passed · ${s.checks_failed} failed${s.checks_unasserted ? ` · ${s.checks_unasserted} unasserted` : ""}` : "—"}</td></tr>`; }).join("")}
        </tbody></table>`;
    },
  });

  addSection({
    id: "checks", title: "Quality checks",
    async render(body, ctx) {
      const [checks, results] = await Promise.all([
        Api.all(`/api/quality-checks?datastore=${ctx.id}`), Api.all(`/api/check-results?datastore=${ctx.id}&latest=true`)]);
      const last = new Map(results.map(r => [r.check_id, r]));
      body.innerHTML = checks.length === 0 ? `<div class="empty">No quality checks on this datastore yet.</div>` : `
        <table class="table" data-testid="checks"><thead><tr><th>Check</th><th>Container</th><th>Status</th><th>Last result</th><th style="text-align:right">Anomalous rows</th><th>Message</th></tr></thead><tbody>
        ${checks.map(c => { const r = last.get(c.id); return `<tr data-check="${c.id}">
          <td class="mono">${esc(checkName(c))}</td><td>${esc(c.container?.name ?? c.container_name ?? "")}</td>
          <td><span class="tag">${esc(c.status ?? "Active")}</span></td>
          <td class="last-result">${resultPill(r?.result, r?.message)}</td>
          <td style="text-align:right">${r ? number(r.anomalous_records_count) : "—"}</td>
          <td class="muted">${esc(r?.message ?? "")}</td></tr>`; }).join("")}
        </tbody></table>`;
    },
  });

  addSection({
    id: "operations", title: "Operations",
    async render(body, ctx) {
      const page = await Api.get(`/api/operations?datastore=${ctx.id}&size=20`);
      ctx.running = page.items.some(o => o.result === "running");
      body.innerHTML = page.items.length === 0 ? `<div class="empty">No operations yet.</div>` : `
        <table class="table" data-testid="operations"><thead><tr><th>ID</th><th>Type</th><th>Result</th><th>Progress</th><th>Started</th><th>Ended</th><th>Message</th></tr></thead><tbody>
        ${page.items.map(o => { const total = o.status.total_containers, done = o.status.containers_analyzed ?? 0; return `<tr data-operation="${o.id}">
          <td>${o.id}</td><td><span class="tag">${esc(o.type)}</span></td>
          <td>${resultPill(o.state === "queued" ? "queued" : o.result, o.details ?? o.message)}</td>
          <td class="progress">${total ? `<progress max="${total}" value="${done}" aria-label="Operation ${o.id}: ${done} of ${total} containers"></progress> <span class="muted">${done}/${total}</span>` : "—"}</td>
          <td class="muted">${esc(when(o.start_time))}</td><td class="muted">${esc(when(o.end_time))}</td>
          <td class="muted">${esc(o.details ?? o.message ?? "")}</td></tr>`; }).join("")}
        </tbody></table>`;
    },
  });

  return { mount, addSection, resultPill, when, number, checkName };
})();
