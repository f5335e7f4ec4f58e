// The page of `peacezones serve`: levers in, jobs out. What it shows of a run or a
// comparison is the report the CLI writes, in the frame; the comparison's table is drawn
// here from the job's result. Nothing is fetched from outside this server.
(function () {
  "use strict";
  const $ = function (id) { return document.getElementById(id); };
  const state = { info: null, scenario: null, job: null, timer: null, added: [] };

  function api(method, url, body, headers) {
    const options = { method: method, headers: headers || {} };
    if (body !== undefined) {
      if (typeof body === "string" || body instanceof Blob || body instanceof ArrayBuffer) {
        options.body = body;
      } else {
        options.body = JSON.stringify(body);
        options.headers["content-type"] = "application/json";
      }
    }
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          const error = new Error(data.error || ("HTTP " + response.status));
          error.problems = data.problems || [];
          throw error;
        }
        return data;
      });
    });
  }

  function option(select, value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    o.title = text;  // a long name, cut off in a narrow list, is shown whole on hover
    select.appendChild(o);
    return o;
  }

  function showProblems(list, error) {
    list.replaceChildren();
    document.querySelectorAll("[aria-invalid]").forEach(function (c) {
      c.removeAttribute("aria-invalid");
    });
    if (!error) { return; }
    const head = document.createElement("li");
    head.className = "error";
    head.textContent = error.message;
    list.appendChild(head);
    let first = null;
    (error.problems || []).forEach(function (p) {
      const li = document.createElement("li");
      const placed = placeProblem(p);
      li.textContent = placed ? placed.text : p;
      if (placed) {
        placed.control.setAttribute("aria-invalid", "true");
        first = first || placed.control;
      }
      list.appendChild(li);
    });
    if (first) {
      const closed = first.closest("details");
      if (closed) { closed.open = true; }
      first.focus();
    }
  }

  // a problem of the policy names a field of the policy format (levers.zone_terms.monitoring,
  // policy.add[1].gangs): say it with the words of the control that set it, and mark that
  const TERMS = { monitoring: "monitoring", sanction: "sanction", suspend_police: "suspend-police",
                  aid_per_week: "aid", pursuit_turn_back: "hot-pursuit",
                  recall_incursions: "hot-pursuit" };
  const ADDED = { at: "date", officers_per_killing: "officers", aid_per_week: "aid",
                  proximity_policing: "proximity" };

  function controlOf(path) {
    let m = path.match(/^zone_terms\.(\w+)/);
    if (m) { return $(TERMS[m[1]] || "zone-levers"); }
    m = path.match(/^zones_to_crackdowns\.(\w+)/);
    if (m) { return $(m[1] === "lethality" ? "crackdown-lethality" : "crackdown-officers"); }
    m = path.match(/^add\[(\d+)\]\.?(\w*)/);
    // the base policy's own decisions come first in the policy the server checks
    const base = ((state.info && state.info.policies) || [])
      .find(function (p) { return p.name === $("base").value; });
    const index = m ? Number(m[1]) - ((base && base.additions) || 0) : -1;
    if (m && state.added[index]) {
      const prefix = state.added[index];
      return $(prefix + "-" + (ADDED[m[2]] || m[2])) || $(prefix);
    }
    m = path.match(/^parameters\.([\w.]+)/);
    if (m) {
      return document.querySelector('#parameters input[data-key="' + CSS.escape(m[1]) + '"]');
    }
    if (/^drop_programs/.test(path)) { return $("programme-levers"); }
    return null;
  }

  function wordsOf(control) {
    const label = control.closest("label");
    const own = label ? Array.from(label.childNodes)
      .filter(function (n) { return n.nodeType === Node.TEXT_NODE; })
      .map(function (n) { return n.textContent.trim(); }).filter(Boolean).join(" ") : "";
    const fieldset = control.closest("fieldset");
    const legend = fieldset ? fieldset.querySelector("legend").textContent.trim() : "";
    return [legend, own || control.dataset.key || ""].filter(Boolean).join(": ");
  }

  function placeProblem(text) {
    const m = text.match(/(?:^|: )(?:levers|policy)\.([^:]+): (.*)$/);
    const control = m ? controlOf(m[1]) : null;
    return control ? { control: control, text: wordsOf(control) + ": " + m[2] } : null;
  }

  // scenario -----------------------------------------------------------------------------

  function loadScenario(id) {
    return api("GET", "/api/scenarios/" + encodeURIComponent(id)).then(function (s) {
      state.scenario = s;
      ["leader-gang", "truce-gangs"].forEach(function (name) {
        const select = $(name);
        select.replaceChildren();
        s.gangs.forEach(function (g) { option(select, g.id, g.name + " (" + g.id + ")"); });
      });
      document.querySelectorAll("input.when").forEach(function (input) {
        input.value = s.start;
        input.min = s.start;
        input.max = s.end;
      });
      document.querySelectorAll("select.places").forEach(function (select) {
        select.replaceChildren();
        s.places.forEach(function (p) { option(select, p.id, p.name + " (" + p.id + ")"); });
      });
      $("zone-levers").disabled = !s.zones;
      const programmes = $("programmes");
      programmes.replaceChildren();
      s.programmes.forEach(function (p) {
        const label = document.createElement("label");
        label.className = "check";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = p;
        box.className = "programme";
        label.append(box, " " + p);
        programmes.appendChild(label);
      });
      $("programme-levers").hidden = s.programmes.length === 0;
      const params = $("parameters");
      params.replaceChildren();
      s.parameters.forEach(function (p) {
        const label = document.createElement("label");
        label.className = "parameter";
        label.title = p.unit;
        const input = document.createElement("input");
        input.type = "number";
        input.dataset.key = p.key;
        input.min = p.low;
        input.max = p.high;
        input.step = "any";
        input.placeholder = String(p.value);
        const unit = document.createElement("small");
        unit.textContent = p.unit;
        label.append(p.key + " [" + p.low + ", " + p.high + "] ", unit, input);
        params.appendChild(label);
      });
    });
  }

  function upload(file) {
    const status = $("upload-status");
    showProblems($("upload-problems"), null);
    status.textContent = "checking " + file.name + "...";
    api("POST", "/api/scenarios", file, { "x-file-name": file.name })
      .then(function (s) {
        status.textContent = file.name + ": valid (" + s.title + ")";
        const select = $("scenario");
        if (!Array.from(select.options).some(function (o) { return o.value === s.id; })) {
          option(select, s.id, s.title + " (sent: " + file.name + ")");
        }
        select.value = s.id;
        return loadScenario(s.id).then(function () {
          start("/api/runs", { scenario: s.id, policy: { base: "historical" }, seed: seed() });
        });
      })
      .catch(function (error) {
        status.textContent = file.name + ": refused";
        showProblems($("upload-problems"), error);
      });
  }

  // levers -------------------------------------------------------------------------------

  function number(id) {
    const text = $(id).value.trim();
    return text === "" ? null : Number(text);
  }

  function levers() {
    const out = {};
    const terms = {};
    const added = [];  // which control set each decision added, for the problems' words
    if ($("hot-pursuit").checked) {
      terms.pursuit_turn_back = 0.0;
      terms.recall_incursions = false;
    }
    if (number("monitoring") !== null) { terms.monitoring = number("monitoring"); }
    if ($("sanction").value) { terms.sanction = $("sanction").value; }
    if ($("suspend-police").value) { terms.suspend_police = $("suspend-police").value === "true"; }
    if (number("aid") !== null) { terms.aid_per_week = number("aid"); }
    if (Object.keys(terms).length && state.scenario && state.scenario.zones) { out.zone_terms = terms; }
    if ($("crackdown").checked) {
      out.zones_to_crackdowns = {
        officers_per_place: number("crackdown-officers"),
        lethality: number("crackdown-lethality"),
      };
    }
    const add = [];
    if ($("conditional").checked) {
      added.push("conditional");
      add.push({ at: "start", action: "conditional_repression",
                 officers_per_killing: number("conditional-officers"),
                 weeks: number("conditional-weeks") });
    }
    if ($("leader").checked) {
      added.push("leader");
      add.push({ at: $("leader-date").value, action: "target_leader", gang: $("leader-gang").value,
                 mode: $("leader-mode").value, officers: number("leader-officers"),
                 weeks: number("leader-weeks") });
    }
    if ($("truce").checked) {
      added.push("truce");
      const gangs = Array.from($("truce-gangs").selectedOptions).map(function (o) { return o.value; });
      add.push({ at: $("truce-date").value, action: "truce", gangs: gangs,
                 weeks: number("truce-weeks"), aid_per_week: number("truce-aid") });
    }
    const places = function (id) {
      return Array.from($(id).selectedOptions).map(function (o) { return o.value; });
    };
    if ($("patrol").checked) {
      added.push("patrol");
      add.push({ at: $("patrol-date").value, action: "patrol", places: places("patrol-places"),
                 level: number("patrol-level") });
    }
    if ($("occupation").checked) {
      added.push("occupation");
      add.push({ at: $("occupation-date").value, action: "occupation",
                 places: places("occupation-places"), officers: number("occupation-officers"),
                 weeks: number("occupation-weeks"),
                 proximity_policing: $("occupation-proximity").checked });
    }
    if ($("force").checked) {
      added.push("force");
      add.push({ at: $("force-date").value, action: "use_of_force", name: "use of force (page)",
                 places: places("force-places"), level: number("force-level") });
    }
    if ($("collusion").checked) {
      added.push("collusion");
      add.push({ at: $("collusion-date").value, action: "collusion_tolerance",
                 level: number("collusion-level") });
    }
    if (add.length) { out.add = add; }
    state.added = added;
    const dropped = Array.from(document.querySelectorAll("input.programme:checked"))
      .map(function (b) { return b.value; });
    if (dropped.length) { out.drop_programs = dropped; }
    const parameters = {};
    document.querySelectorAll("#parameters input").forEach(function (input) {
      if (input.value.trim() !== "") { parameters[input.dataset.key] = Number(input.value); }
    });
    if (Object.keys(parameters).length) { out.parameters = parameters; }
    return out;
  }

  function chosenPolicy() {
    const set = levers();
    return { base: $("base").value, levers: set, label: label($("base").value, set) };
  }

  // the levers in a few words: what the tables and the report call this policy
  function label(base, set) {
    const words = [];
    const terms = set.zone_terms || {};
    if (terms.pursuit_turn_back === 0) { words.push("hot pursuit"); }
    if ("monitoring" in terms) { words.push("monitoring " + terms.monitoring); }
    if ("sanction" in terms) { words.push("sanction " + terms.sanction); }
    if ("suspend_police" in terms) { words.push(terms.suspend_police ? "police out" : "police stay"); }
    if ("aid_per_week" in terms) { words.push("aid " + terms.aid_per_week); }
    if (set.zones_to_crackdowns) { words.push("crackdown"); }
    (set.add || []).forEach(function (d) {
      if (d.action === "conditional_repression") { words.push("conditional repression"); }
      if (d.action === "target_leader") { words.push(d.mode + " " + d.gang + "'s leader"); }
      if (d.action === "truce") { words.push("truce " + d.gangs.join("-")); }
      if (d.action === "patrol") { words.push("patrols x" + d.level); }
      if (d.action === "occupation") { words.push("occupation"); }
      if (d.action === "use_of_force") { words.push("force x" + d.level); }
      if (d.action === "collusion_tolerance") { words.push("collusion " + d.level); }
    });
    (set.drop_programs || []).forEach(function (p) { words.push("no " + p); });
    const n = Object.keys(set.parameters || {}).length;
    if (n) { words.push(n + " parameter" + (n > 1 ? "s" : "")); }
    return words.length ? base + " + " + words.join(", ") : "";
  }

  // jobs ---------------------------------------------------------------------------------

  function busy(on) {
    $("run-once").disabled = on;
    $("compare").disabled = on;
    $("cancel").disabled = !on;
  }

  function start(url, body) {
    showProblems($("problems"), null);
    busy(true);
    $("status").textContent = "sending...";
    return api("POST", url, body).then(follow).catch(function (error) {
      busy(false);
      $("progress").value = 0;
      $("status").textContent = "refused";
      showProblems($("problems"), error);
    });
  }

  function follow(job) {
    state.job = job;
    try { sessionStorage.setItem("peacezones-job", job.id); } catch (e) { /* private mode */ }
    show(job);
    if (job.state === "queued" || job.state === "running") {
      state.timer = setTimeout(function () {
        api("GET", "/api/jobs/" + job.id).then(follow).catch(function (error) {
          busy(false);
          showProblems($("problems"), error);
        });
      }, 400);
    } else {
      busy(false);
      finished(job);
    }
  }

  function show(job) {
    const progress = $("progress");
    progress.max = Math.max(job.total, 1);
    progress.value = job.done;
    const unit = job.kind === "runs" ? "weeks" : "runs";
    let text = job.title + " — " + job.state;
    if (job.state === "running" || job.state === "queued") {
      text += ", " + job.done + " of " + job.total + " " + unit;
    }
    if (job.message && job.state !== "failed") { text += " (" + job.message + ")"; }
    const same = (job.result && job.result.unchanged) || [];
    if (same.length) {
      const labels = (job.result && job.result.labels) || {};
      text += ". Note: " + same.map(function (p) { return labels[p] || p; }).join(", ") +
        " changed nothing in these runs: every outcome of every replicate is the baseline's";
    }
    $("status").textContent = text;
    document.body.dataset.job = job.state;
    if (job.state === "done") { document.body.dataset.report = job.result.report; }
  }

  function finished(job) {
    if (job.state === "failed") {
      const error = new Error("the job failed");
      error.problems = job.message.split("\n");
      showProblems($("problems"), error);
      return;
    }
    if (job.state !== "done") { return; }
    if ($("report").getAttribute("src") !== job.result.report) {
      delete document.body.dataset.shown;
      $("report").src = job.result.report;
    } else {
      document.body.dataset.shown = job.result.report;
    }
    if (job.kind === "comparisons") {
      table(job.result);
    } else {
      $("comparison").hidden = true;
    }
  }

  // a mean and its interval, all three to the precision the largest of them needs
  function interval(mean, low, high) {
    const values = [mean, low, high];
    if (values.some(function (x) { return x === null || x === undefined || Number.isNaN(x); })) {
      return "n/a";
    }
    const a = Math.max.apply(null, values.map(Math.abs));
    const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    const f = function (x) {
      return x.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    };
    return f(mean) + " [" + f(low) + ", " + f(high) + "]";
  }

  function table(result) {
    const policies = result.policies;
    const base = policies[0];
    const name = function (p) { return (result.labels || {})[p] || p; };
    $("comparison").hidden = false;
    $("comparison-title").textContent = "Comparison: " + policies.map(name).join(" vs ");
    $("comparison-hint").textContent = result.replicates + " replicates per policy, with common " +
      "random numbers. Each cell: the mean and its 95% interval; a difference is paired " +
      "replicate by replicate, against " + name(base) + ", in bold where its interval excludes " +
      "0 (p under each); ↓ marks an outcome a policy should lower. " +
      policies.map(function (p) { return p + ": " + (result.descriptions[p] || ""); }).join(" · ");
    const head = ["outcome"].concat(policies.map(name)).concat(policies.slice(1).map(function (p) {
      return name(p) + " − " + name(base);
    }));
    const thead = $("comparison-table").tHead;
    thead.replaceChildren();
    const row = thead.insertRow();
    head.forEach(function (h) {
      const th = document.createElement("th");
      th.textContent = h;
      row.appendChild(th);
    });
    const body = $("comparison-table").tBodies[0];
    body.replaceChildren();
    const outcomes = [];
    result.per_policy.forEach(function (r) { if (outcomes.indexOf(r.outcome) < 0) { outcomes.push(r.outcome); } });
    outcomes.forEach(function (outcome) {
      const tr = body.insertRow();
      tr.dataset.outcome = outcome;
      const rows = result.per_policy.filter(function (r) { return r.outcome === outcome; });
      tr.insertCell().textContent = rows[0].label + (rows[0].direction === "min" ? " ↓" : "");
      policies.forEach(function (p) {
        const r = rows.find(function (x) { return x.policy === p; });
        tr.insertCell().textContent = r ? interval(r.mean, r.low, r.high) : "n/a";
      });
      policies.slice(1).forEach(function (p) {
        const d = result.differences.find(function (x) { return x.outcome === outcome && x.policy === p; });
        const cell = tr.insertCell();
        cell.className = "difference";
        if (!d) { cell.textContent = "n/a"; return; }
        cell.textContent = interval(d.difference, d.low, d.high);
        const note = document.createElement("small");
        note.textContent = "p " + (d.p === null ? "n/a" : d.p < 0.001 ? "< 0.001" : d.p.toFixed(3));
        cell.append(document.createElement("br"), note);
        if (d.low > 0 || d.high < 0) { cell.classList.add("clear"); }
      });
    });
  }

  // start --------------------------------------------------------------------------------

  function init() {
    api("GET", "/api/info").then(function (info) {
      state.info = info;
      $("upload-limit").textContent = (info.bounds.upload / 1e6).toLocaleString("en") + " MB";
      $("replicates").max = info.bounds.replicates;
      $("force-level").max = info.bounds.force;
      $("max-force").textContent = info.bounds.force;
      info.scenarios.forEach(function (s) { option($("scenario"), s, s); });
      info.uploads.forEach(function (s) { option($("scenario"), s.id, s.title + " (sent)"); });
      info.policies.forEach(function (p) {
        option($("base"), p.name, p.name);
        option($("baseline"), p.name, p.name);
        option($("others"), p.name, p.name);
      });
      $("scenario").value = info.scenarios.indexOf("venezuela") >= 0 ? "venezuela" : info.scenarios[0];
      $("base").value = "historical";
      $("baseline").value = "historical";
      describeBase();
      return loadScenario($("scenario").value);
    }).then(function () {
      return resume().then(function (resumed) {
        if (!resumed) {
          start("/api/runs", { scenario: $("scenario").value, policy: { base: "historical" }, seed: 0 });
        }
      });
    }).catch(function (error) {
      showProblems($("problems"), error);
    });

    $("report").addEventListener("load", function () {
      document.body.dataset.shown = $("report").getAttribute("src");  // the report is in
    });
    $("scenario").addEventListener("change", function () { loadScenario($("scenario").value); });
    $("upload").addEventListener("change", function () {
      if ($("upload").files.length) { upload($("upload").files[0]); }
    });
    $("base").addEventListener("change", describeBase);
    $("run-once").addEventListener("click", function () {
      start("/api/runs", { scenario: $("scenario").value, policy: chosenPolicy(),
                           seed: seed() });
    });
    $("compare").addEventListener("click", function () {
      const policies = [{ base: $("baseline").value }].concat(
        Array.from($("others").selectedOptions).map(function (o) { return { base: o.value }; }));
      const mine = chosenPolicy();
      const listed = policies.some(function (p) { return p.base === mine.base; });
      if (Object.keys(mine.levers).length || !listed) { policies.push(mine); }
      start("/api/comparisons", {
        scenario: $("scenario").value,
        policies: policies,
        replicates: number("replicates"),
        seed: seed(),
      });
    });
    $("cancel").addEventListener("click", function () {
      if (state.job) { api("DELETE", "/api/jobs/" + state.job.id).catch(function () {}); }
    });
  }

  // after a reload, the job this tab was following, if it is still under way
  function resume() {
    let id = null;
    try { id = sessionStorage.getItem("peacezones-job"); } catch (e) { id = null; }
    if (!id) { return Promise.resolve(false); }
    return api("GET", "/api/jobs/" + id).then(function (job) {
      if (job.state !== "queued" && job.state !== "running") { return false; }
      busy(true);
      follow(job);
      return true;
    }).catch(function () { return false; });
  }

  function seed() {
    const value = number("seed");
    return value === null ? 0 : value;  // left empty: the default seed
  }

  function describeBase() {
    const p = state.info.policies.find(function (x) { return x.name === $("base").value; });
    $("base-description").textContent = p ? p.description : "";
  }

  init();
})();
