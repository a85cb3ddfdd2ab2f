// The profile sections of a datastore's page: each container's fields as the latest profile found them (with small
// bars for nulls and the most frequent values), and the checks the profile proposed, to activate or discard.
"use strict";
(() => {
  const containerOf = new Map();
  const pct = (part, whole) => whole > 0 ? Math.round(100 * part / whole) : 0;
  const bar = (share, label) => `<span class="bar" role="img" aria-label="${esc(label)}"><span style="width:${Math.max(share, share > 0 ? 2 : 0)}%"></span></span>`;

  async function runProfile(ctx, button) {
    button.disabled = true;
    try {
      const operation = await Api.post("/api/operations/run", { type: "profile", datastore_id: ctx.id });
      toast(`Profile ${operation.id} queued; the fields and proposed checks update when it finishes.`);
      ctx.running = true;
      ctx.reload.operations?.();
      let done = operation;
      while (done.state !== "finished" && document.body.contains(button)) {
        await new Promise(resolve => setTimeout(resolve, 1000));
        done = await Api.get(`/api/operations/${operation.id}`);
      }
      if (done.state !== "finished") return;
      toast(done.message, done.result !== "success");
      ctx.reload.profile();
      ctx.reload.drafts();
      ctx.reload.checks?.();
    } catch (e) { toast(e.message, true); }
    finally { button.disabled = false; }
  }

  function fieldRow(p) {
    const nonNull = p.record_count - p.null_count;
    const nulls = pct(p.null_count, p.record_count);
    const top = p.top_values.slice(0, 3).map(v =>
      `<div class="top-value"><span class="mono">${esc(v.value)}</span> ${bar(pct(v.count, nonNull), `${v.count} of ${nonNull} values`)} <span class="muted">${DatastorePage.number(v.count)}</span></div>`).join("");
    const distinct = p.distinct_count === null ? "—" : (p.distinct_approximate ? "~" : "") + DatastorePage.number(p.distinct_count);
    const range = p.min === null ? "—" : `<span class="mono">${esc(p.min)}</span> … <span class="mono">${esc(p.max)}</span>`;
    const stats = p.mean !== null ? `mean ${Number(p.mean).toPrecision(4)}${p.median !== null ? ` · median ${Number(p.median).toPrecision(4)}` : ""}`
      : p.max_length !== null ? `${p.min_length}–${p.max_length} chars` : "";
    return `<tr data-field="${esc(p.field_name)}">
      <td><strong>${esc(p.field_name)}</strong><div class="muted mono">${esc(p.declared_type)}</div></td>
      <td><span class="tag">${esc(p.inferred_type)}</span></td>
      <td class="nulls">${bar(nulls, `${nulls}% null`)} <span class="muted">${DatastorePage.number(p.null_count)}</span></td>
      <td style="text-align:right" class="distinct">${distinct}</td>
      <td>${range}<div class="muted">${esc(stats)}</div></td>
      <td>${top || `<span class="muted">—</span>`}</td></tr>`;
  }

  async function renderFields(body, ctx, tools) {
    const containers = (await Api.all(`/api/containers?datastore=${ctx.id}`)).filter(c => !c.container_type.startsWith("computed"));
    if (!tools.firstChild) {
      tools.innerHTML = `<label class="row" style="font-size:13px;color:var(--muted)">Container
          <select data-testid="profile-container" style="width:auto">${containers.map(c => `<option value="${c.id}">${esc(c.name)}</option>`).join("")}</select></label>
        ${ctx.canChange ? `<button data-testid="run-profile">Profile now</button>` : ""}`;
      const select = tools.querySelector("select");
      if (containerOf.has(ctx.id)) select.value = containerOf.get(ctx.id);
      select.onchange = () => { containerOf.set(ctx.id, select.value); ctx.reload.profile(); };
      tools.querySelector("[data-testid=run-profile]")?.addEventListener("click", e => runProfile(ctx, e.currentTarget));
    }
    const chosen = tools.querySelector("select").value;
    if (!chosen) { body.innerHTML = `<div class="empty">No containers yet: sync the datastore.</div>`; return; }
    const profiles = await Api.all(`/api/containers/${chosen}/field-profiles`);
    if (profiles.length === 0) { body.innerHTML = `<div class="empty">This container has not been profiled yet.</div>`; return; }
    const first = profiles[0];
    body.innerHTML = `
      <p class="muted ds-note">Profile ${first.operation_id} of ${esc(DatastorePage.when(first.created))}: ${DatastorePage.number(first.record_count)} rows${first.sampled ? " (a sample)" : ""}. ~ marks an estimate.</p>
      <table class="table" data-testid="field-profiles"><thead><tr><th>Field</th><th>Holds</th><th>Nulls</th><th style="text-align:right">Distinct</th><th>Range</th><th>Most frequent</th></tr></thead>
      <tbody>${profiles.map(fieldRow).join("")}</tbody></table>`;
  }

  async function setStatus(ctx, ids, status) {
    try {
      await Api.patch("/api/quality-checks", ids.map(id => ({ id, status })));
      toast(`${ids.length} check(s) ${status === "Active" ? "activated" : "discarded"}.`);
      ctx.reload.drafts();
      ctx.reload.checks?.();
    } catch (e) { toast(e.message, true); }
  }

  async function renderDrafts(body, ctx, tools) {
    const drafts = await Api.all(`/api/quality-checks?datastore=${ctx.id}&status=Draft`);
    tools.innerHTML = ctx.canChange && drafts.length > 0 ? `<button class="primary" data-testid="activate-all">Activate all ${drafts.length}</button>` : "";
    tools.querySelector("button")?.addEventListener("click", () => setStatus(ctx, drafts.map(d => d.id), "Active"));
    if (drafts.length === 0) { body.innerHTML = `<div class="empty">No proposed checks wait for review. Profile the datastore to get some.</div>`; return; }
    body.innerHTML = `
      <table class="table" data-testid="drafts"><thead><tr><th>Check</th><th>Container</th><th>Properties</th><th>Why</th>${ctx.canChange ? `<th><span class="sr-only">Actions</span></th>` : ""}</tr></thead><tbody>
      ${drafts.map(d => `<tr data-draft="${d.id}">
        <td class="mono">${esc(DatastorePage.checkName(d))}</td><td>${esc(d.container.name)}</td>
        <td class="mono">${esc(JSON.stringify(d.properties))}</td><td class="muted">${esc(d.description ?? "")}</td>
        ${ctx.canChange ? `<td style="text-align:right;white-space:nowrap"><button class="activate" data-id="${d.id}" aria-label="Activate ${esc(DatastorePage.checkName(d))} on ${esc(d.container.name)}">Activate</button>
          <button class="ghost discard" data-id="${d.id}" aria-label="Discard ${esc(DatastorePage.checkName(d))} on ${esc(d.container.name)}">Discard</button></td>` : ""}</tr>`).join("")}
      </tbody></table>`;
    body.querySelectorAll("button.activate").forEach(b => b.onclick = () => setStatus(ctx, [Number(b.dataset.id)], "Active"));
    body.querySelectorAll("button.discard").forEach(b => b.onclick = () => setStatus(ctx, [Number(b.dataset.id)], "Archived"));
  }

  DatastorePage.addSection({ id: "profile", title: "Field profiles", render: renderFields }, "containers");
  DatastorePage.addSection({ id: "drafts", title: "Proposed checks", render: renderDrafts }, "profile");
})();
