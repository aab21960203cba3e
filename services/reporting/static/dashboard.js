/* The evaluation dashboard: every number is read from GET /reports/evaluation of the scope. */
"use strict";

(function () {
  const I18N = window.SAHABAT_I18N;
  const FUNNEL = ["initial_approach", "continued_collaboration", "design", "formulation",
                  "planning", "implementation", "evaluation"];
  const HEADLINE = [
    ["h_partners", "partners.registered"], ["h_agreements", "agreements.active"],
    ["h_ambassadors", "ambassadors.in_term"], ["h_programs", "programs.proposed"],
    ["h_completed", "programs.completed"], ["h_participants", "participation.participants"],
    ["h_hours", "participation.volunteer_hours"], ["h_outreach", "outreach.held"],
    ["h_audience", "outreach.audience"], ["h_reach", "outreach.estimated_reach"],
    ["h_converted", "prospects.converted"],
  ];
  const REGION_COLUMNS = [
    ["c_partners", "partners.registered"], ["c_agreements", "agreements.active"],
    ["c_programs", "programs.proposed"], ["c_completed", "programs.completed"],
    ["c_participants", "participation.participants"], ["c_outreach", "outreach.held"],
    ["c_audience", "outreach.audience"], ["c_converted", "prospects.converted"],
  ];
  const state = { lang: "id", region: "", from: "", to: "", asOf: "", regions: [], report: null,
    showEmpty: false };

  // --- small helpers ---------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const t = (key) => I18N[state.lang][key] || I18N.id[key] || key;
  const label = (key) => I18N[state.lang].labels[key] || key;
  const locale = () => (state.lang === "id" ? "id-ID" : "en-GB");
  const pick = (obj, path) => path.split(".").reduce((o, k) => (o == null ? o : o[k]), obj);

  function fmt(value, digits) {
    if (value === null || value === undefined) return "–";
    const options = digits === undefined ? {} : { minimumFractionDigits: digits,
      maximumFractionDigits: digits };
    return new Intl.NumberFormat(locale(), options).format(value);
  }

  function pct(value) {
    return value === null || value === undefined ? "–"
      : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 })
        .format(value);
  }

  /* A number on the page, marked with the report path it shows (the browser test reads it). */
  function num(path, value, digits) {
    const span = document.createElement("span");
    span.className = "num";
    span.dataset.figure = path;
    span.dataset.value = value === null || value === undefined ? "null" : String(value);
    span.textContent = fmt(value, digits);
    return span;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.append(c));
    return node;
  }

  function table(id, head, rows) {
    const target = $(id);
    target.replaceChildren();
    if (head) target.append(el("thead", {}, [el("tr", {}, head.map((h) => el("th", { text: h })))]));
    const body = el("tbody");
    rows.forEach((cells) => body.append(el("tr", {}, cells.map((c) =>
      el("td", {}, [typeof c === "string" ? document.createTextNode(c) : c])))));
    if (!rows.length) body.append(el("tr", {}, [el("td", { colspan: String((head || [1]).length),
      class: "muted", text: t("none") })]));
    target.append(body);
  }

  // --- scope and address -------------------------------------------------------------------
  function readAddress() {
    const q = new URLSearchParams(location.search);
    state.region = q.get("region") || "";
    state.from = q.get("from") || "";
    state.to = q.get("to") || "";
    state.asOf = (q.get("as_of") || "").slice(0, 10);
    state.lang = q.get("lang") || localStorage.getItem("sahabat.lang") || "id";
    if (!I18N[state.lang]) state.lang = "id";
  }

  function query(extra) {
    const q = new URLSearchParams();
    if (state.region) q.set("region", state.region);
    if (state.from) q.set("from", state.from);
    if (state.to) q.set("to", state.to);
    if (state.asOf) q.set("as_of", endOfDay(state.asOf));
    Object.entries(extra || {}).forEach(([k, v]) => q.set(k, v));
    return q.toString();
  }

  function writeAddress(push) {
    const q = new URLSearchParams(query());
    if (state.asOf) q.set("as_of", state.asOf);
    if (state.lang !== "id") q.set("lang", state.lang);
    const url = `${location.pathname}${q.toString() ? "?" + q : ""}`;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  // a past date: the history as it stood at the end of that day (the browser's own time zone)
  function endOfDay(day) {
    // the end of that day where the region is (the nation: WIB, Jakarta's), whatever the
    // browser's own time zone
    const found = state.regions.find((r) => r.code === state.region);
    const zone = (found && found.timezone) || "Asia/Jakarta";
    return new Date(`${day}T23:59:59.999${offsetOf(zone, day)}`).toISOString();
  }

  function offsetOf(zone, day) {
    try {
      const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
        .formatToParts(new Date(`${day}T12:00:00Z`)).find((p) => p.type === "timeZoneName");
      const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(part ? part.value : "");
      return m ? `${m[1]}:${m[2] || "00"}` : "Z";
    } catch (error) {
      return "+07:00";
    }
  }

  function iso(d) {
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${
      String(d.getDate()).padStart(2, "0")}`;
  }

  function preset(kind) {
    const now = new Date();
    const y = now.getFullYear();
    if (kind === "all") { state.from = ""; state.to = ""; }
    if (kind === "year") { state.from = `${y}-01-01`; state.to = `${y}-12-31`; }
    if (kind === "last_year") { state.from = `${y - 1}-01-01`; state.to = `${y - 1}-12-31`; }
    if (kind === "quarter") {
      const start = new Date(now); start.setDate(start.getDate() - 89);
      state.from = iso(start); state.to = iso(now);
    }
  }

  // --- rendering -----------------------------------------------------------------------------
  function translateStatic() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
    document.title = `Sahabat — ${t("title")}`;
    $("lang-id").setAttribute("aria-pressed", String(state.lang === "id"));
    $("lang-en").setAttribute("aria-pressed", String(state.lang === "en"));
  }

  function regionName(code) {
    const found = state.regions.find((r) => r.code === code);
    return found ? found.name.replace("Kanwil Ditjenpas ", "") : code;
  }

  function renderScope(r) {
    const where = r.scope.region ? `Kanwil ${regionName(r.scope.region)}` : t("scope_national");
    let when = t("scope_all");
    if (r.scope.from && r.scope.to) when = `${r.scope.from} ${t("scope_between")} ${r.scope.to}`;
    else if (r.scope.from) when = `${t("scope_from")} ${r.scope.from}`;
    else if (r.scope.to) when = `${t("scope_to")} ${r.scope.to}`;
    if (r.as_of_time) when += ` · ${t("history_at")} ${state.asOf}`;
    $("scope-title").textContent = `${where} · ${when}`;
    const logs = Object.entries(r.as_of);
    const events = logs.reduce((n, [, v]) => n + v, 0);
    $("as-of").textContent = logs.length
      ? `${t("as_of")}: ${fmt(events)} ${t("events")} · ${fmt(logs.length)} ${t("logs")}` : "";
    $("as-of").title = logs.map(([k, v]) => `${k} #${v}`).join("\n");
  }

  function renderHeadline(r) {
    $("headline").replaceChildren(...HEADLINE.map(([key, path]) => el("div", { class: "card" }, [
      el("div", { class: "card-label", text: t(key) }),
      el("div", { class: "card-value" }, [num(path, pick(r, path))]),
    ])));
  }

  function renderFunnel(r) {
    const p = r.programs;
    SahabatCharts.bars("chart-funnel", FUNNEL.map(label), FUNNEL.map((s) => p.reached[s]),
      { horizontal: true, colors: FUNNEL.map((_, i) => (i < 2 ? "#1f4e79" : "#2e86ab")) });
    const rows = FUNNEL.map((step, i) => [
      label(step), num(`programs.reached.${step}`, p.reached[step]),
      i + 1 < FUNNEL.length ? pct(p.conversion[`${step}->${FUNNEL[i + 1]}`]) : "",
      num(`programs.median_days_in_step.${step}`, p.median_days_in_step[step]),
    ]);
    rows.push([label("completed"), num("programs.completed", p.completed), "", ""]);
    rows.push([label("discontinued"), num("programs.discontinued", p.discontinued), "", ""]);
    table("funnel-table", [t("step"), t("reached"), t("conversion"), t("median_days")], rows);
  }

  function renderParticipation(r) {
    const over = r.over_time;
    const groups = Object.keys(over.participants_by_group);
    SahabatCharts.stacked("chart-participants", over.months,
      groups.map((g) => ({ label: label(g), values: over.participants_by_group[g] })));
    const part = r.participation;
    table("participation-table", null, [
      [t("f_activities"), num("participation.activities", part.activities)],
      [t("f_sessions"), num("participation.sessions", part.sessions)],
      [t("f_participants"), num("participation.participants", part.participants)],
      ...Object.keys(part.by_group).map((g) => [label(g),
        num(`participation.by_group.${g}`, part.by_group[g])]),
      [t("f_volunteer_hours"), num("participation.volunteer_hours", part.volunteer_hours)],
    ]);
  }

  function renderDomains(r) {
    const domains = ["individual", "institutional", "policy"];
    SahabatCharts.bars("chart-domains", domains.map(label),
      domains.map((d) => r.change_domains[d].mean), { max: 5, colors: ["#48a9a6", "#2e86ab",
        "#1f4e79"] });
    table("domains-table", ["", t("evaluations"), t("mean")], domains.map((d) => [label(d),
      num(`change_domains.${d}.evaluations`, r.change_domains[d].evaluations),
      num(`change_domains.${d}.mean`, r.change_domains[d].mean, 2)]));
  }

  function renderOutreach(r) {
    const o = r.outreach;
    const channels = Object.keys(o.by_channel);
    SahabatCharts.bars("chart-channels", channels.map(label), channels.map((c) => o.by_channel[c]),
      { colors: "#e4a11b" });
    table("outreach-table", ["", t("held"), t("audience")], [
      ...channels.map((c) => [label(c), num(`outreach.by_channel.${c}`, o.by_channel[c]),
        num(`outreach.audience_by_channel.${c}`, o.audience_by_channel[c])]),
      [t("total"), num("outreach.held", o.held), num("outreach.audience", o.audience)],
    ]);
    const media = Object.keys(o.reach_by_medium);
    SahabatCharts.bars("chart-media", media.map(label), media.map((m) => o.reach_by_medium[m]),
      { colors: "#c8553d" });
    table("media-table", ["", t("coverage"), t("reach")], [
      ...media.map((m) => [label(m), num(`outreach.media_by_medium.${m}`, o.media_by_medium[m]),
        num(`outreach.reach_by_medium.${m}`, o.reach_by_medium[m])]),
      [t("total"), num("outreach.media_coverage", o.media_coverage),
        num("outreach.estimated_reach", o.estimated_reach)],
    ]);
  }

  function renderTables(r) {
    const p = r.partners;
    table("partners-table", null, [
      [t("f_registered"), num("partners.registered", p.registered)],
      ...Object.keys(p.by_status).map((s) => [`${t("status")}: ${label(s)}`,
        num(`partners.by_status.${s}`, p.by_status[s])]),
      ...Object.keys(p.by_kind).filter((k) => p.by_kind[k]).map((k) => [label(k),
        num(`partners.by_kind.${k}`, p.by_kind[k])]),
    ]);
    const a = r.agreements;
    table("agreements-table", null, [
      [t("f_signed"), num("agreements.signed", a.signed)],
      ...Object.keys(a.by_instrument).map((i) => [label(i),
        num(`agreements.by_instrument.${i}`, a.by_instrument[i])]),
      [t("f_active"), num("agreements.active", a.active)],
      [t("f_expiring_60"), num("agreements.expiring_within_60_days", a.expiring_within_60_days)],
      [t("f_expiring_90"), num("agreements.expiring_within_90_days", a.expiring_within_90_days)],
    ]);
    table("prospects-table", null, [
      [t("f_appointed"), num("ambassadors.appointed", r.ambassadors.appointed)],
      [t("f_in_term"), num("ambassadors.in_term", r.ambassadors.in_term)],
      [t("f_identified"), num("prospects.identified", r.prospects.identified)],
      [t("f_converted"), num("prospects.converted", r.prospects.converted)],
      [t("f_declined"), num("prospects.declined", r.prospects.declined)],
    ]);
  }

  /* The national view's regions side by side: those with any figure first (most partners,
     then most programs proposed), those with none at all folded into one line that opens. */
  function renderRegions(r) {
    const panel = $("regions-panel");
    panel.hidden = Boolean(r.scope.region);
    const target = $("regions-table");
    target.replaceChildren();
    if (panel.hidden) return;
    const figures = (code) => REGION_COLUMNS.map(([, path]) => {
      const inner = (r.regions || {})[code];
      return [path, inner ? pick(inner, path) : 0];
    });
    const filled = [];
    const empty = [];
    state.regions.forEach((region) => {
      const values = figures(region.code);
      (values.some(([, v]) => v) ? filled : empty).push({ code: region.code, values });
    });
    const value = (item, path) => item.values.find(([p]) => p === path)[1] || 0;
    filled.sort((a, b) => value(b, "partners.registered") - value(a, "partners.registered")
      || value(b, "programs.proposed") - value(a, "programs.proposed")
      || value(b, "participation.participants") - value(a, "participation.participants")
      || regionName(a.code).localeCompare(regionName(b.code)));
    const row = (item) => {
      const link = el("a", { href: `?${new URLSearchParams(Object.assign(
        { region: item.code }, state.from ? { from: state.from } : {},
        state.to ? { to: state.to } : {}, state.asOf ? { as_of: state.asOf } : {},
        state.lang !== "id" ? { lang: state.lang } : {}))}`,
      "data-region": item.code, text: regionName(item.code) });
      link.addEventListener("click", (event) => {
        event.preventDefault(); state.region = item.code; writeAddress(true); load();
      });
      return el("tr", { "data-region": item.code }, [el("td", {}, [link]),
        ...item.values.map(([path, v]) => el("td", {}, [num(`regions.${item.code}.${path}`, v)]))]);
    };
    const columns = String(REGION_COLUMNS.length + 1);
    target.append(el("thead", {}, [el("tr", {}, [t("c_region"), ...REGION_COLUMNS.map(([key]) =>
      t(key))].map((h) => el("th", { text: h })))]));
    const withData = el("tbody", { class: "with-data" }, filled.map(row));
    if (!filled.length) {
      withData.append(el("tr", {}, [el("td", { colspan: columns, class: "muted",
        text: t("none") })]));
    }
    target.append(withData);
    if (!empty.length) return;
    const words = (empty.length === 1 ? t("regions_empty_one") : t("regions_empty"))
      .replace("{n}", fmt(empty.length));
    const toggle = el("button", { type: "button", id: "regions-empty-toggle", class: "fold",
      "aria-controls": "regions-empty", "aria-expanded": String(state.showEmpty) }, [
      el("span", { class: "fold-mark", "aria-hidden": "true", text: "▸" }),
      document.createTextNode(` ${words}`)]);
    const rest = el("tbody", { id: "regions-empty", class: "empty" }, empty.map(row));
    rest.hidden = !state.showEmpty;
    toggle.addEventListener("click", () => {
      state.showEmpty = !state.showEmpty;
      rest.hidden = !state.showEmpty;
      toggle.setAttribute("aria-expanded", String(state.showEmpty));
    });
    target.append(el("tbody", { class: "fold-line" }, [el("tr", {}, [
      el("td", { colspan: columns }, [toggle])])]), rest);
  }

  /* The lists behind the figures, of the same moment as the report: with a past date, the
     agreements and programs as they stood at the end of that day, counted from that day. */
  async function renderLists() {
    const region = Object.assign(state.region ? { region: state.region } : {},
      state.asOf ? { as_of: endOfDay(state.asOf) } : {});
    const [stuck, expiring, ambassadors] = await Promise.all([
      getJson(`/reports/programs/stuck?${new URLSearchParams({ ...region, days: 90 })}`),
      getJson(`/reports/agreements/expiring?${new URLSearchParams({ ...region,
        within_days: 90 })}`),
      getJson(`/reports/ambassadors?${query()}`),
    ]);
    table("stuck-table", [t("c_region"), t("c_unit"), t("c_title"), t("step"), t("c_days")],
      stuck.items.slice(0, 20).map((p) => [regionName(p.region), p.unit_code, p.title,
        label(p.step), fmt(p.days_in_step)]));
    table("expiring-table", [t("c_region"), t("c_number"), t("c_instrument"), t("c_ends"),
      t("c_days_left")], expiring.items.slice(0, 20).map((a) => [regionName(a.region),
      a.number, label(a.instrument), a.ends_on, fmt(a.days_left)]));
    table("ambassadors-table", [t("c_ambassador"), t("c_region"), t("c_led"), t("audience"),
      t("c_prospects"), t("c_conversions")], ambassadors.items.slice(0, 20).map((a) => [
      `…${a.ambassador_id.slice(-8)}`, regionName(a.region), fmt(a.outreach_led), fmt(a.audience),
      fmt(a.prospects), fmt(a.conversions)]));
    $("stuck-csv").href = `/reports/programs/stuck?${new URLSearchParams({ ...region, days: 90,
      format: "csv" })}`;
    $("expiring-csv").href = `/reports/agreements/expiring?${new URLSearchParams({ ...region,
      within_days: 90, format: "csv" })}`;
    $("ambassadors-csv").href = `/reports/ambassadors?${query({ format: "csv" })}`;
  }

  function render() {
    const r = state.report;
    if (!r) return;
    translateStatic();
    renderScope(r);
    renderHeadline(r);
    renderFunnel(r);
    renderParticipation(r);
    renderDomains(r);
    renderOutreach(r);
    renderTables(r);
    renderRegions(r);
  }

  // --- loading -------------------------------------------------------------------------------
  async function getJson(url) {
    const answer = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await answer.json();
    if (!answer.ok) throw new Error(body.detail || answer.statusText);
    return body;
  }

  function syncControls() {
    $("region").value = state.region;
    $("from").value = state.from;
    $("to").value = state.to;
    $("as-of-date").value = state.asOf;
    $("dl-csv").href = `/reports/evaluation?${query({ format: "csv" })}`;
    $("dl-xlsx").href = `/reports/evaluation?${query({ format: "xlsx" })}`;
    $("dl-json").href = `/reports/evaluation?${query()}`;
  }

  async function load() {
    const main = $("report");
    main.setAttribute("aria-busy", "true");
    document.body.dataset.state = "loading";
    syncControls();
    $("error").hidden = true;
    try {
      const url = `/reports/evaluation?${query(state.region ? {} : { by_region: "true" })}`;
      state.report = await getJson(url);
      render();
      await renderLists();
      document.body.dataset.state = "ready";
      document.body.dataset.scope = query();
    } catch (error) {
      $("error").textContent = `${t("error")}: ${error.message}`;
      $("error").hidden = false;
      document.body.dataset.state = "error";
    } finally {
      main.setAttribute("aria-busy", "false");
    }
  }

  async function start() {
    readAddress();
    translateStatic();
    state.regions = await getJson("/reports/regions");
    const select = $("region");
    state.regions.forEach((r) => select.append(el("option", { value: r.code,
      text: r.name.replace("Kanwil Ditjenpas ", "") })));
    $("controls").addEventListener("submit", (event) => {
      event.preventDefault();
      state.region = $("region").value;
      state.from = $("from").value;
      state.to = $("to").value;
      state.asOf = $("as-of-date").value;
      writeAddress(true);
      load();
    });
    $("region").addEventListener("change", () => $("controls").requestSubmit());
    document.querySelectorAll("[data-preset]").forEach((button) => button.addEventListener(
      "click", () => { preset(button.dataset.preset); syncControls();
        $("controls").requestSubmit(); }));
    document.querySelectorAll("[data-lang]").forEach((button) => button.addEventListener(
      "click", () => {
        state.lang = button.dataset.lang;
        localStorage.setItem("sahabat.lang", state.lang);
        writeAddress(false);
        render();
        renderLists();
      }));
    $("print").addEventListener("click", () => window.print());
    window.addEventListener("popstate", () => { readAddress(); load(); });
    await load();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
