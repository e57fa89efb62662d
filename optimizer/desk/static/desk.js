// The desk's page: each button calls the JSON API, then the page is drawn again by the server.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const message = document.getElementById("message");
  const $ = (sel, root) => (root || document).querySelector(sel);

  function show(text, problems) {
    message.hidden = false;
    message.textContent = text;
    if (problems && problems.length) {
      const ul = document.createElement("ul");
      for (const p of problems) {
        const li = document.createElement("li");
        li.textContent = p;
        ul.appendChild(li);
      }
      message.appendChild(ul);
    }
    message.scrollIntoView({ block: "center" });
  }

  async function call(method, url, body, isForm) {
    const headers = { "X-Desk-CSRF": csrf };
    if (!isForm) headers["Content-Type"] = "application/json";
    let r;
    try {
      r = await fetch(url, {
        method: method, headers: headers, credentials: "same-origin",
        body: body === undefined ? undefined : (isForm ? body : JSON.stringify(body)),
      });
    } catch (err) {  // no answer at all: the server's words cannot come, the page's do
      show(message.dataset.offline);
      throw err;
    }
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {  // the server's own words, in the planner's language
      show(data.error || message.dataset.httpError.replace("STATUS", r.status), data.problems);
      throw new Error(data.code || r.status);
    }
    return data;
  }
  const post = (url, body) => call("POST", url, body || {});
  const reload = (run) => { window.location.href = run ? "/?run=" + run : window.location.pathname + window.location.search; };

  // one request at a time from a form or a button: a double click (or a second click while
  // the first is on its way) asks once, not twice (two solves queued, an outcome recorded twice)
  function once(el, handler) {
    return async (e) => {
      e.preventDefault();
      if (el.dataset.busy) return;
      el.dataset.busy = "1";
      const buttons = el.tagName === "FORM" ? Array.from(el.querySelectorAll("button")) : [el];
      for (const b of buttons) b.disabled = true;
      try { await handler(e, el); } finally {
        delete el.dataset.busy;
        for (const b of buttons) b.disabled = false;
      }
    };
  }
  function on(id, event, handler) {
    const el = document.getElementById(id);
    if (el) el.addEventListener(event, once(el, handler));
  }

  on("planner-form", "submit", async () => {
    await post("/planner", { name: $("#planner-name").value });
    reload();
  });
  on("load-source", "click", async () => { await post("/api/load"); reload(); });
  on("upload-form", "submit", async (e, form) => {
    const data = new FormData();
    for (const f of $("#upload-files").files) data.append("files", f, f.name);
    try { await call("POST", "/api/upload", data, true); } catch (err) { return; }
    reload();
  });

  // the grid of rooms by dates
  const dialog = document.getElementById("cell-dialog");
  let cell = null;
  for (const b of document.querySelectorAll("#grid button.cell")) {
    b.addEventListener("click", () => {
      cell = b.dataset;
      const title = $("#cell-title");
      title.textContent = title.dataset.template.replace("ROOM", cell.room).replace("DAY", cell.day);
      if (cell.start) { $("#cell-start").value = cell.start; $("#cell-end").value = cell.end; }
      dialog.showModal();
    });
  }
  on("cell-close", "click", async () => {
    dialog.close();
    await post("/api/sessions/close", { date: cell.date, room_id: cell.room });
    reload();
  });
  on("cell-open", "click", async () => {
    dialog.close();
    await post("/api/sessions/open", {
      date: cell.date, room_id: cell.room, start: $("#cell-start").value, end: $("#cell-end").value,
    });
    reload();
  });
  on("absent-form", "submit", async () => {
    await post("/api/surgeons/absent", { surgeon_id: $("#absent-surgeon").value, date: $("#absent-date").value });
    reload();
  });
  on("resource-form", "submit", async () => {
    await post("/api/resources/set", { resource: $("#resource-name").value, date: $("#resource-date").value,
                                       capacity: $("#resource-capacity").value });
    reload();
  });

  on("fix-form", "submit", async () => {
    await post("/api/cases/fix", { case_id: $("#fix-case").value, date: $("#fix-date").value,
                                   room_id: $("#fix-room").value, start: $("#fix-start").value });
    reload();
  });
  for (const b of document.querySelectorAll("#fixed .release-case")) {
    b.addEventListener("click", once(b, async () => {
      await post("/api/cases/release", { case_id: b.dataset.case });
      reload();
    }));
  }

  // solving, with live progress
  const status = document.getElementById("run-status");
  async function watch(run) {
    const stop = $("#stop-button");
    stop.hidden = false;
    stop.onclick = async () => { await post("/api/runs/" + run + "/stop"); };
    for (;;) {
      let r;
      try { r = await call("GET", "/api/runs/" + run); } catch (err) { return; }
      if (r.state === "done") { reload(run); return; }
      $("#status-line").textContent = r.words.status;
      $("#progress-line").textContent = r.words.progress;
      if (r.state === "failed") { stop.hidden = true; return; }
      await new Promise((ok) => setTimeout(ok, 700));
    }
  }
  on("whatif-form", "submit", async () => {
    const extras = Array.from(document.querySelectorAll("#whatif-form input.extra:checked")).map((x) => Number(x.value));
    const body = { extras: extras, curve: $("#whatif-curve").checked, target: $("#target").value, time_limit: $("#time-limit").value };
    const r = await post("/api/whatif", body);
    watch(r.run_id);
  });
  on("solve-form", "submit", async () => {
    const body = { target: $("#target").value, time_limit: $("#time-limit").value };
    const r = await post("/api/solve", body);
    watch(r.run_id);
  });
  if (status && status.dataset.runs) {
    for (const run of status.dataset.runs.split(",")) if (run) { watch(run); break; }
  }

  // the answer: call outcomes, explain, start tomorrow
  const result = document.getElementById("result");
  const runId = result ? result.dataset.run : null;
  for (const b of document.querySelectorAll("#calls .record-outcome")) {
    b.addEventListener("click", once(b, async () => {
      const row = b.closest("tr");
      const body = { outcome: $(".outcome-choice", row).value };
      if (body.outcome === "declined") body.until = $(".outcome-until", row).value;
      await post("/api/runs/" + runId + "/calls/" + encodeURIComponent(row.dataset.case), body);
      reload(runId);
    }));
  }
  // what happened to a case on its day (day sheets, cases not kept): cancelled on the day,
  // withdrawn; the same route as a call's answer, once the planner has said yes
  for (const b of document.querySelectorAll("button.record-day")) {
    b.addEventListener("click", once(b, async () => {
      if (!window.confirm(b.dataset.confirm)) return;
      await post("/api/runs/" + runId + "/calls/" + encodeURIComponent(b.dataset.case),
                 { outcome: b.dataset.outcome });
      reload(runId);
    }));
  }
  // an outcome recorded by mistake is taken back (the journal keeps both); the page sends
  // the entry it shows, so that one recorded meanwhile by someone else is not the one undone
  for (const b of document.querySelectorAll("button.undo-outcome")) {
    b.addEventListener("click", once(b, async () => {
      if (!window.confirm(b.dataset.confirm)) return;
      await post("/api/runs/" + runId + "/retract/" + encodeURIComponent(b.dataset.case),
                 { entry_id: Number(b.dataset.entry) });
      reload(runId);
    }));
  }
  for (const b of document.querySelectorAll("button.explain")) {
    b.addEventListener("click", once(b, async () => {
      const r = await call("GET", "/api/runs/" + runId + "/explain/" + encodeURIComponent(b.dataset.case));
      $("#explain-text").textContent = r.text;
      document.getElementById("explain-dialog").showModal();
    }));
  }
  on("insert-form", "submit", async () => {
    const r = await post("/api/runs/" + runId + "/insert", {
      case_id: $("#urgent-id").value, specialty: $("#urgent-specialty").value,
      surgeon_id: $("#urgent-surgeon").value, duration_min: $("#urgent-duration").value,
      urgency: $("#urgent-urgency").value, today: $("#urgent-today").value,
      now: $("#urgent-now").value,
    });
    watch(r.run_id);
  });
  for (const b of document.querySelectorAll(".pin-case")) {
    b.addEventListener("click", once(b, async () => {
      await post("/api/cases/fix", { case_id: b.dataset.case, run_id: runId });
      reload(runId);
    }));
  }
  for (const b of document.querySelectorAll("#options .choose-option")) {
    b.addEventListener("click", once(b, async () => {
      const r = await post("/api/runs/" + runId + "/choose", { option: b.dataset.option });
      watch(r.run_id);
    }));
  }
  on("replan-form", "submit", async () => {
    const r = await post("/api/runs/" + runId + "/replan", { today: $("#replan-today").value });
    watch(r.run_id);
  });
})();
