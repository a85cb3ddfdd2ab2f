// The anomalies section of a datastore's page: filter by status, change a status, see the failing rows a scan kept.
"use strict";
(() => {
  const STATUSES = ["Active", "Acknowledged", "Resolved", "Invalid", "Duplicate", "Archived"];
  const FILTERS = [["open", "Open (Active, Acknowledged)"], ["all", "All statuses"], ...STATUSES.map(s => [s, s])];
  const filterOf = new Map();

  function query(ctx) {
    const filter = filterOf.get(ctx.id) ?? "open";
    if (filter === "open") return `datastore=${ctx.id}`;
    if (filter === "all") return `datastore=${ctx.id}&archived=include`;
    return `datastore=${ctx.id}&status=${encodeURIComponent(filter)}`;
  }

  function statusPill(status) {
    const cls = status === "Active" ? "err" : status === "Acknowledged" ? "warn" : status === "Resolved" ? "ok" : "";
    return `<span class="pill ${cls}">${esc(status)}</span>`;
  }

  async function render(body, ctx, tools) {
    if (!tools.firstChild) {
      tools.innerHTML = `<label class="row" style="font-size:13px;color:var(--muted)">Show
        <select id="anomaly-filter" data-testid="anomaly-filter" style="width:auto">${FILTERS.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join("")}</select></label>`;
      const select = tools.querySelector("select");
      select.value = filterOf.get(ctx.id) ?? "open";
      select.onchange = () => { filterOf.set(ctx.id, select.value); ctx.reload.anomalies(); };
    }
    const anomalies = await Api.all(`/api/anomalies?${query(ctx)}`);
    if (anomalies.length === 0) {
      body.innerHTML = `<div class="empty">No anomalies ${filterOf.get(ctx.id) && filterOf.get(ctx.id) !== "open" ? "match this filter" : "are open"}.</div>`;
      return;
    }
    body.innerHTML = `
      <table class="table" data-testid="anomalies"><thead><tr><th>ID</th><th>Status</th><th>Container</th><th>Check</th><th style="text-align:right">Anomalous rows</th><th>Found</th><th><span class="sr-only">Actions</span></th></tr></thead><tbody>
      ${anomalies.map(a => `<tr data-anomaly="${a.id}">
        <td>${a.id}</td>
        <td class="status">${ctx.canChange
          ? `<select class="status-select" data-id="${a.id}" aria-label="Status of anomaly ${a.id}" style="width:auto">${STATUSES.map(s => `<option ${s === a.status ? "selected" : ""}>${s}</option>`).join("")}</select>`
          : statusPill(a.status)}</td>
        <td>${esc(a.container.name)}</td>
        <td class="mono" title="${esc(a.message ?? "")}">${esc(DatastorePage.checkName(a))}</td>
        <td style="text-align:right">${DatastorePage.number(a.anomalous_records_count)}${a.asserted_records_count ? ` <span class="muted">of ${DatastorePage.number(a.asserted_records_count)}</span>` : ""}</td>
        <td class="muted">${esc(DatastorePage.when(a.created))}</td>
        <td style="text-align:right"><button class="records-toggle" data-id="${a.id}" aria-expanded="false" aria-controls="records-${a.id}">Source records</button></td></tr>
        <tr class="records-row" id="records-${a.id}" hidden><td colspan="7"></td></tr>`).join("")}
      </tbody></table>`;
    body.querySelectorAll(".status-select").forEach(select => select.onchange = async () => {
      select.disabled = true;
      try {
        const updated = await Api.put(`/api/anomalies/${select.dataset.id}`, { status: select.value });
        toast(`Anomaly ${updated.id} is now ${updated.status}.`);
        ctx.reload.anomalies();
      } catch (e) { toast(e.message, true); select.disabled = false; }
    });
    body.querySelectorAll(".records-toggle").forEach(button => button.onclick = () => toggleRecords(button));
  }

  async function toggleRecords(button) {
    const row = document.getElementById(`records-${button.dataset.id}`);
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    row.hidden = !open;
    if (!open || row.dataset.loaded) return;
    const cell = row.firstElementChild;
    cell.innerHTML = `<span class="spin"></span>`;
    try {
      const records = await Api.get(`/api/anomalies/${button.dataset.id}/source-records`);
      row.dataset.loaded = "1";
      cell.innerHTML = records.records.length === 0 ? `<span class="muted">The scan kept no rows for this anomaly.</span>` : `
        <div class="records" data-testid="source-records-${records.anomaly_id}">
        <table class="table"><caption class="sr-only">Failing rows of anomaly ${records.anomaly_id}</caption>
        <thead><tr>${records.fields.map(f => `<th class="${records.anomalous_fields.includes(f) ? "anomalous" : ""}">${esc(f)}</th>`).join("")}</tr></thead>
        <tbody>${records.records.map(r => `<tr>${records.fields.map(f => `<td class="mono ${records.anomalous_fields.includes(f) ? "anomalous" : ""}">${value(r[f])}</td>`).join("")}</tr>`).join("")}</tbody></table>
        <p class="muted" style="padding:8px 16px;font-size:12.5px">${records.records.length} row(s); highlighted columns are the ones the check asserts.</p></div>`;
    } catch (e) { cell.innerHTML = `<div class="banner err">${esc(e.message)}</div>`; }
  }

  function value(v) {
    if (v === null || v === undefined) return `<span class="null">null</span>`;
    return esc(typeof v === "object" ? JSON.stringify(v) : v);
  }

  DatastorePage.addSection({ id: "anomalies", title: "Anomalies", render }, "checks");
})();
