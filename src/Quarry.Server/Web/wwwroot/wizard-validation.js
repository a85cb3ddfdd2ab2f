// Step 1's validation card: Test Connection checks every selected schema on the server. wizard.js owns the state.
"use strict";
const WizardValidation = (() => {
  async function run(w) {
    const s = w.state();
    const button = document.getElementById("test");
    button.disabled = true; button.innerHTML = `<span class="spin"></span> Testing ${s.selected.size} schema(s)…`;
    // Old results would read as this run's; show none until the new ones arrive.
    s.validation = null;
    document.getElementById("validation").innerHTML = `<div class="card-body muted">Connecting to each schema…</div>`;
    // With the name template, a name that is already taken fails here, not only at Create.
    const body = { catalog: w.hasCatalogs() ? s.catalog : null, schemas: w.selectedList(), name_template: w.templateOk() ? s.template : null };
    try {
      const result = s.mode === "new"
        ? await Api.post("/api/connections/datastores/validate", { ...body, connection: w.newConnBody() })
        : await Api.post(`/api/connections/${s.connectionId}/datastores/validate`, body);
      s.validation = result.results;
    } catch (e) { s.validation = null; toast(e.message, true); }
    button.innerHTML = "Test Connection"; button.disabled = false;
    draw(w);
  }

  function draw(w) {
    const s = w.state();
    const el = document.getElementById("validation");
    if (!el) return;
    if (!s.validation) { el.innerHTML = `<div class="card-body muted">Not tested yet. Testing is optional but shows which schemas would fail before anything is created.</div>`; return; }
    const failed = s.validation.filter(r => r.status !== "ok").length;
    el.innerHTML = `<div class="card-body" style="padding-bottom:0"><div class="banner ${failed ? "err" : "ok"}" data-testid="validation-summary"><span class="grow">${failed ? `${failed} of ${s.validation.length} schema(s) failed the test.` : `All ${s.validation.length} schema(s) passed.`}</span>${failed ? `<button type="button" id="drop-failed" data-testid="drop-failed">Deselect failed schemas</button>` : ""}</div></div>
      <table class="table results" data-testid="validation"><thead><tr><th>Schema</th><th>Result</th><th>Message</th></tr></thead><tbody>
      ${s.validation.map(r => `<tr data-schema="${esc(r.schema_name)}"><td class="mono">${esc(r.schema_name)}</td><td><span class="pill ${r.status === "ok" ? "ok" : "err"}">${esc(r.status)}</span></td><td class="muted">${esc(r.message)}</td></tr>`).join("")}
      </tbody></table>`;
    const drop = document.getElementById("drop-failed");
    if (drop) drop.onclick = () => {
      s.validation.filter(r => r.status !== "ok").forEach(r => s.selected.delete(r.schema_name));
      const kept = s.validation.filter(r => r.status === "ok");
      w.selectionChanged();
      s.validation = kept; draw(w);
    };
  }

  return { run, draw };
})();
