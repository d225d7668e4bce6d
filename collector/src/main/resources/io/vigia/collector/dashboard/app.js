// Vigia dashboard: a card per host, a page per host with charts, both following
// GET /api/v1/stream. Every change only marks what it touches; one requestAnimationFrame
// pass then writes the DOM, so a fleet of 200 hosts with 64 cores each stays smooth.
"use strict";
(function () {
  const hosts = new Map(); // id -> {agent, sample, card, dirty, cpuHistory}
  const fleetEl = document.getElementById("fleet");
  const hostEl = document.getElementById("host");
  const summaryEl = document.getElementById("summary");
  const linkEl = document.getElementById("link");
  const filterEl = document.getElementById("filter");
  const sortEl = document.getElementById("sort");
  const loginEl = document.getElementById("login");
  const tokenEl = document.getElementById("token");
  const loginErrorEl = document.getElementById("login-error");
  let source = null; // the live stream's EventSource
  let frameRequested = false;
  let orderDirty = true;
  let snapshotLoaded = false;
  let early = []; // events that arrived before the first snapshot
  let open = null; // the host page: {id, data, plots}
  // "Stored by the collector" to "written to the page", in ms, newest last (see README).
  const latencies = [];
  // How long each DOM update pass took, in ms: what keeps a large fleet smooth.
  const renderTimes = [];
  let samplesShown = 0; // samples written to a card or chart on screen
  let samplesOffScreen = 0; // samples of cards out of view, not painted (so not measured)

  function shown(pending) {
    const now = Date.now();
    for (const stored of pending) latencies.push(now - stored);
    samplesShown += pending.length;
    if (latencies.length > 5000) latencies.splice(0, latencies.length - 5000);
  }

  function time(text) {
    if (!text) return NaN;
    // RFC 3339 with up to nanoseconds; Date.parse wants at most milliseconds.
    return Date.parse(String(text).replace(/(\.\d{3})\d+/, "$1"));
  }

  function num(v) { return v === undefined || v === null ? 0 : Number(v); }

  function ago(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 2) return "just now";
    if (s < 60) return s + "s ago";
    if (s < 3600) return Math.floor(s / 60) + "m ago";
    return Math.floor(s / 3600) + "h ago";
  }

  function bytes(n) {
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    n = num(n);
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
  }

  // 0 % dark blue-grey, 50 % amber, 100 % red; one entry per whole percent.
  const HEAT = Array.from({ length: 101 }, (_, p) => {
    const t = p / 100;
    return [Math.round(40 + 215 * Math.min(1, t * 2)), Math.round(60 + 140 * (t < 0.5 ? t * 2 : 2 - t * 2)), Math.round(80 * (1 - t))];
  });

  // Cards off screen are not painted until they scroll into view.
  const seen = new IntersectionObserver((entries) => {
    let any = false;
    for (const entry of entries) {
      const host = hosts.get(entry.target.dataset.host);
      if (!host) continue;
      host.visible = entry.isIntersecting;
      any = any || (host.visible && host.dirty);
    }
    if (any) schedule();
  });

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function schedule() {
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(render);
    }
  }

  function makeCard(host) {
    const card = document.createElement("div");
    card.className = "card";
    card.dataset.host = host.agent.id;
    card.innerHTML =
      '<div class="top"><span class="name"></span><span class="state"></span></div>' +
      '<div class="cpu"></div><div class="bar"><i></i></div>' +
      '<canvas class="heat" height="1"></canvas>' +
      '<div class="row"><span class="mem"></span><span class="seen"></span></div>' +
      '<div class="bar mem"><i></i></div>';
    card.addEventListener("click", () => { location.hash = "#host=" + encodeURIComponent(host.agent.id); });
    // The per-core figures as a tooltip, built only when asked for.
    card.querySelector("canvas.heat").addEventListener("mouseenter", (e) => {
      const cores = host.sample ? (host.sample.corePercent || []) : (host.agent.corePercent || []);
      e.target.title = cores.map((p, i) => "core " + i + ": " + num(p).toFixed(1) + " %").join("\n");
    });
    host.visible = true;
    seen.observe(card);
    host.card = {
      root: card,
      name: card.querySelector(".name"),
      state: card.querySelector(".state"),
      cpu: card.querySelector(".cpu"),
      cpuBar: card.querySelector(".bar > i"),
      heat: card.querySelector("canvas.heat"),
      mem: card.querySelector(".mem"),
      memBar: card.querySelector(".bar.mem > i"),
      seen: card.querySelector(".seen"),
    };
    return card;
  }

  function paintCard(host) {
    const c = host.card, a = host.agent, s = host.sample;
    const cls = "card " + a.state + (c.root.classList.contains("hidden") ? " hidden" : "");
    if (c.root.className !== cls) c.root.className = cls;
    setText(c.name, a.hostname && a.hostname !== a.id ? a.id + " · " + a.hostname : a.id);
    c.name.title = a.id;
    setText(c.state, a.state + " · " + a.cores + " cores");
    const cpu = s ? num(s.cpuPercent) : num(a.cpuPercent);
    const hasCpu = s ? !!s.hasCpu : !!a.hasCpu;
    setText(c.cpu, hasCpu ? cpu.toFixed(1) + " %" : "no CPU figures");
    c.cpuBar.style.width = (hasCpu ? cpu : 0) + "%";
    const cores = s ? (s.corePercent || []) : (a.corePercent || []);
    const canvas = c.heat;
    const n = Math.max(1, cores.length);
    if (canvas.width !== n) { canvas.width = n; c.pixels = null; }
    if (!c.pixels) c.pixels = canvas.getContext("2d").createImageData(n, 1);
    const px = c.pixels.data;
    for (let i = 0; i < cores.length; i++) {
      const rgb = HEAT[Math.max(0, Math.min(100, Math.round(num(cores[i]))))];
      px[4 * i] = rgb[0]; px[4 * i + 1] = rgb[1]; px[4 * i + 2] = rgb[2]; px[4 * i + 3] = 255;
    }
    canvas.getContext("2d").putImageData(c.pixels, 0, 0);
    let memPct = null, memText = "memory: n/a";
    if (s && s.memoryUsedPercent !== undefined) {
      memPct = num(s.memoryUsedPercent);
      memText = "mem " + memPct.toFixed(1) + " % of " + bytes(s.memoryTotalBytes);
    } else if (!s && a.memory) {
      memPct = num(a.memory.usedPercent);
      memText = "mem " + memPct.toFixed(1) + " % of " + bytes(a.memory.totalBytes);
    }
    host.memPct = memPct === null ? -1 : memPct;
    host.cpuNow = hasCpu ? cpu : -1;
    setText(c.mem, memText);
    c.memBar.style.width = (memPct || 0) + "%";
    setText(c.seen, ago(host.lastSeen));
  }

  // What sorting needs, for cards not painted yet.
  function updateKeys(host) {
    const a = host.agent, s = host.sample;
    const hasCpu = s ? !!s.hasCpu : !!a.hasCpu;
    host.cpuNow = hasCpu ? num(s ? s.cpuPercent : a.cpuPercent) : -1;
    host.memPct = s ? (s.memoryUsedPercent === undefined ? -1 : num(s.memoryUsedPercent))
      : (a.memory ? num(a.memory.usedPercent) : -1);
  }

  function visibleOrder() {
    const q = filterEl.value.trim().toLowerCase();
    const list = [...hosts.values()].filter(
      (h) => !q || h.agent.id.toLowerCase().includes(q) || (h.agent.hostname || "").toLowerCase().includes(q));
    const by = sortEl.value;
    list.sort((x, y) =>
      by === "cpu" ? y.cpuNow - x.cpuNow || x.agent.id.localeCompare(y.agent.id)
      : by === "memory" ? y.memPct - x.memPct || x.agent.id.localeCompare(y.agent.id)
      : x.agent.id.localeCompare(y.agent.id));
    return list;
  }

  function render() {
    frameRequested = false;
    const started = performance.now();
    for (const host of hosts.values()) {
      if (!host.card) fleetEl.appendChild(makeCard(host));
      if (host.dirty && host.visible && !fleetEl.hidden) {
        paintCard(host);
        shown(host.pending);
        host.pending = [];
        host.dirty = false;
      } else if (host.dirty) {
        updateKeys(host);
        samplesOffScreen += host.pending.length;
        host.pending = [];
      }
    }
    if (orderDirty || sortEl.value !== "name") {
      const list = visibleOrder();
      const shown = new Set(list.map((h) => h.agent.id));
      for (const host of hosts.values()) host.card.root.classList.toggle("hidden", !shown.has(host.agent.id));
      // Reorder only when the order changed, to keep layout work small.
      let i = 0, same = true;
      for (const el of fleetEl.children) { if (list[i] && el !== list[i].card.root) { same = false; break; } i++; }
      if (!same) for (const h of list) fleetEl.appendChild(h.card.root);
      orderDirty = false;
    }
    let connected = 0;
    for (const h of hosts.values()) if (h.agent.state === "CONNECTED") connected++;
    summaryEl.textContent = hosts.size + " hosts, " + connected + " connected";
    if (open && open.dirty) {
      paintHost();
      if (open.plots) { shown(open.pending); open.pending = []; }
      open.dirty = false;
    }
    renderTimes.push(performance.now() - started);
    if (renderTimes.length > 1000) renderTimes.splice(0, renderTimes.length - 1000);
  }

  function upsertAgent(agent) {
    let host = hosts.get(agent.id);
    if (!host) {
      host = { agent, sample: null, card: null, dirty: true, lastSeen: time(agent.lastSeen), cpuNow: -1, memPct: -1, pending: [] };
      hosts.set(agent.id, host);
      orderDirty = true;
    }
    host.agent = agent;
    host.lastSeen = time(agent.lastSeen);
    host.dirty = true;
    return host;
  }

  function onSample(ev) {
    const host = hosts.get(ev.host);
    if (!host) return; // its "state" event comes first; a reset reloads otherwise
    host.sample = ev.sample;
    host.lastSeen = Date.now();
    host.dirty = true;
    host.pending.push(time(ev.sample.stored));
    if (open && open.id === ev.host) {
      appendPoint(open, ev.sample);
      open.pending.push(time(ev.sample.stored));
      open.dirty = true;
    }
  }

  function handle(type, ev) {
    if (type === "state") {
      upsertAgent(ev.agent);
      if (open && open.id === ev.host) open.dirty = true;
    } else if (type === "sample") {
      onSample(ev);
    } else if (type === "reset") {
      loadSnapshot();
      return;
    }
    schedule();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource("/api/v1/stream");
    const mine = source;
    for (const type of ["sample", "state", "reset"]) {
      source.addEventListener(type, (e) => {
        const ev = JSON.parse(e.data);
        if (!snapshotLoaded) early.push([type, ev]);
        else handle(type, ev);
      });
    }
    source.onopen = () => { linkEl.textContent = "live"; linkEl.className = "link up"; };
    // EventSource reconnects by itself, sending Last-Event-ID, unless the answer was not a stream
    // (401 when the collector wants its token): then it stops, and we start over from the hosts.
    source.onerror = () => {
      linkEl.textContent = "reconnecting"; linkEl.className = "link down";
      if (mine.readyState === EventSource.CLOSED && mine === source) {
        source = null;
        setTimeout(() => { if (loginEl.hidden) start(); }, 2000);
      }
    };
  }

  // ---- signing in, on a collector with --http-token-file ----

  function askForToken(message) {
    if (source) { source.close(); source = null; }
    linkEl.textContent = "offline"; linkEl.className = "link down";
    summaryEl.textContent = "sign in to see the hosts";
    fleetEl.hidden = true; hostEl.hidden = true; loginEl.hidden = false;
    loginErrorEl.textContent = message || "";
    tokenEl.focus();
  }

  loginEl.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const res = await fetch("/api/v1/session", { method: "POST", body: tokenEl.value, cache: "no-store" });
      if (res.status !== 204) {
        tokenEl.value = "";
        askForToken("That is not this collector's HTTP token.");
        return;
      }
      tokenEl.value = "";
      loginEl.hidden = true; fleetEl.hidden = false;
      start();
    } catch (err) {
      askForToken("Cannot reach the collector: " + err);
    }
  });

  // The hosts, then the live stream and the page the address asks for.
  async function start() {
    snapshotLoaded = false; early = [];
    connect();
    if (await loadSnapshot()) route();
  }

  /** True once the hosts are loaded; false when the collector asks for its token. */
  async function loadSnapshot() {
    try {
      const res = await fetch("/api/v1/agents", { cache: "no-store" });
      if (res.status === 401) { askForToken(); return false; }
      if (!res.ok) throw new Error("HTTP " + res.status);
      const body = await res.json();
      for (const agent of body.agents || []) upsertAgent(agent);
      snapshotLoaded = true;
      for (const [type, ev] of early) handle(type, ev);
      early = [];
      schedule();
      return true;
    } catch (e) {
      summaryEl.textContent = "cannot load the hosts: " + e;
      return new Promise((resolve) => setTimeout(() => resolve(loadSnapshot()), 2000));
    }
  }

  // ---- the host page ----

  function sums(list, a, b) {
    if (!list || list.length === 0) return [null, null];
    let x = 0, y = 0;
    for (const d of list) { x += num(d[a]); y += num(d[b]); }
    return [x, y];
  }

  function emptyData(cores) {
    return { t: [], cpu: [], cores: Array.from({ length: cores }, () => []), mem: [], dr: [], dw: [], rx: [], tx: [] };
  }

  function pushRow(d, t, cpu, cores, mem, disk, net) {
    d.t.push(t); d.cpu.push(cpu);
    for (let i = 0; i < d.cores.length; i++) d.cores[i].push(cores && i < cores.length ? num(cores[i]) : null);
    d.mem.push(mem); d.dr.push(disk[0]); d.dw.push(disk[1]); d.rx.push(net[0]); d.tx.push(net[1]);
  }

  function appendPoint(page, s) {
    const d = page.data;
    const t = time(s.time) / 1000;
    if (d.t.length && t <= d.t[d.t.length - 1]) return;
    pushRow(d, t, s.hasCpu ? num(s.cpuPercent) : null, s.corePercent,
      s.memoryUsedPercent === undefined ? null : num(s.memoryUsedPercent),
      s.diskReadBytesPerS === undefined ? [null, null] : [num(s.diskReadBytesPerS), num(s.diskWriteBytesPerS)],
      s.netRxBytesPerS === undefined ? [null, null] : [num(s.netRxBytesPerS), num(s.netTxBytesPerS)]);
    const max = Math.max(page.capacity, 60);
    if (d.t.length > max) {
      const cut = d.t.length - max;
      for (const key of ["t", "cpu", "mem", "dr", "dw", "rx", "tx"]) d[key].splice(0, cut);
      for (const c of d.cores) c.splice(0, cut);
    }
  }

  function chart(el, series, data, opts) {
    el.innerHTML = "";
    const width = Math.max(300, el.clientWidth || 500);
    return new uPlot(Object.assign({
      width, height: 200,
      scales: { x: { time: true } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}].concat(series),
      axes: [{ stroke: "#8a96a3", grid: { stroke: "#30363d" } }, { stroke: "#8a96a3", grid: { stroke: "#30363d" } }],
    }, opts || {}), data, el);
  }

  function coreColour(i, n) { return "hsl(" + Math.round((360 * i) / Math.max(1, n)) + ",70%,60%)"; }

  async function openHost(id) {
    fleetEl.hidden = true; hostEl.hidden = false;
    const host = hosts.get(id);
    const cores = host ? host.agent.cores : 0;
    const page = { id, data: emptyData(cores), plots: null, dirty: true, capacity: 3600, pending: [] };
    open = page;
    document.getElementById("host-title").textContent = id;
    try {
      const res = await fetch("/api/v1/agents/" + encodeURIComponent(id) + "/history", { cache: "no-store" });
      if (res.status === 401) { askForToken(); return; }
      const body = await res.json();
      const samples = body.samples || [];
      page.capacity = Math.max(samples.length, 60);
      const fresh = emptyData(cores);
      for (const s of samples) {
        pushRow(fresh, time(s.time) / 1000, s.hasCpu ? num(s.cpuPercent) : null, s.corePercent,
          s.memory ? num(s.memory.usedPercent) : null,
          sums(s.disks, "readBytesPerS", "writeBytesPerS"),
          sums(s.interfaces, "rxBytesPerS", "txBytesPerS"));
      }
      // Samples that came on the stream while the history loaded follow it.
      const last = fresh.t.length ? fresh.t[fresh.t.length - 1] : -Infinity;
      const live = page.data;
      for (let i = 0; i < live.t.length; i++) {
        if (live.t[i] > last) {
          pushRow(fresh, live.t[i], live.cpu[i], live.cores.map((c) => c[i]), live.mem[i], [live.dr[i], live.dw[i]], [live.rx[i], live.tx[i]]);
        }
      }
      page.data = fresh;
    } catch (e) {
      document.getElementById("host-facts").textContent = "cannot load the history: " + e;
    }
    if (open !== page) return;
    const d = page.data;
    page.plots = {
      cpu: chart(document.getElementById("chart-cpu"), [{ label: "busy %", stroke: "#58a6ff", width: 1.5 }], [d.t, d.cpu], { scales: { x: { time: true }, y: { range: [0, 100] } } }),
      cores: chart(document.getElementById("chart-cores"),
        d.cores.map((_, i) => ({ label: "core " + i, stroke: coreColour(i, d.cores.length), width: 1 })),
        [d.t].concat(d.cores), { scales: { x: { time: true }, y: { range: [0, 100] } }, legend: { show: d.cores.length <= 16 } }),
      memory: chart(document.getElementById("chart-memory"), [{ label: "used %", stroke: "#a371f7", width: 1.5 }], [d.t, d.mem], { scales: { x: { time: true }, y: { range: [0, 100] } } }),
      disk: chart(document.getElementById("chart-disk"), [{ label: "read", stroke: "#3fb950" }, { label: "write", stroke: "#f0883e" }], [d.t, d.dr, d.dw]),
      net: chart(document.getElementById("chart-net"), [{ label: "received", stroke: "#58a6ff" }, { label: "sent", stroke: "#d2a8ff" }], [d.t, d.rx, d.tx]),
    };
    page.dirty = true;
    schedule();
  }

  function paintHost() {
    const page = open, host = hosts.get(page.id);
    if (host) {
      const a = host.agent;
      const st = document.getElementById("host-state");
      st.textContent = a.state; st.className = "state " + a.state;
      document.getElementById("host-facts").textContent =
        [a.hostname, a.os, a.cores + " cores", "agent " + a.agentVersion, "last seen " + ago(host.lastSeen)].join(" · ");
    }
    if (!page.plots) return;
    const d = page.data;
    page.plots.cpu.setData([d.t, d.cpu]);
    page.plots.cores.setData([d.t].concat(d.cores));
    page.plots.memory.setData([d.t, d.mem]);
    page.plots.disk.setData([d.t, d.dr, d.dw]);
    page.plots.net.setData([d.t, d.rx, d.tx]);
    for (const el of document.querySelectorAll(".chart")) el.dataset.points = String(d.t.length);
  }

  function route() {
    const m = /^#host=(.+)$/.exec(location.hash);
    if (m) {
      openHost(decodeURIComponent(m[1]));
    } else {
      open = null;
      hostEl.hidden = true; fleetEl.hidden = false;
      orderDirty = true; schedule();
    }
  }

  filterEl.addEventListener("input", () => { orderDirty = true; schedule(); });
  sortEl.addEventListener("change", () => { orderDirty = true; schedule(); });
  window.addEventListener("hashchange", route);
  // "last seen" ages even without events.
  setInterval(() => { for (const h of hosts.values()) h.dirty = true; if (open) open.dirty = true; schedule(); }, 1000);

  // For tests and the curious: what the page holds, and the measured latencies.
  window.vigia = {
    hosts: () => [...hosts.keys()],
    latencies: () => latencies.slice(),
    renderTimes: () => renderTimes.slice(),
    samplesShown: () => samplesShown,
    samplesOffScreen: () => samplesOffScreen,
    resetStats: () => { latencies.length = 0; renderTimes.length = 0; samplesShown = 0; samplesOffScreen = 0; },
  };

  start();
})();
