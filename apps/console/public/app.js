// Operations dashboard of the council integration hub. Plain JavaScript, no build step, no dependencies:
// the charts are small hand-drawn SVG line charts (uPlot or Chart.js would need a new npm package and a
// bundler; four sparklines do not). Everything from the API is inserted with textContent, never as HTML.
'use strict';

(function dashboard() {
  const TOKEN_KEY = 'hub.console.token';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const STATUS_SYMBOL = {
    ok: '✓',
    late: '◷',
    failing: '✕',
    silent: '–',
    inactive: '○',
    up: '✓',
    degraded: '!',
    down: '✕',
    idle: '–',
  };
  const SEVERITY_SYMBOL = { critical: '✕', warning: '!', info: 'i' };

  const state = {
    token: null,
    me: null,
    stream: null,
    retryMs: 1000,
    dlqCursor: null,
    dlqSignature: null,
    selected: new Set(),
  };

  // ---------- small helpers ----------

  const $ = (id) => document.getElementById(id);

  /** Creates an element; `children` are nodes or strings (inserted as text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(kind, value, symbol) {
    return el(
      'span',
      { className: `badge badge-${kind}-${value} badge-${value}` },
      el('span', { 'aria-hidden': 'true' }, `${symbol} `),
      value,
    );
  }

  function ago(iso) {
    if (!iso) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} d ago`;
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }

  function percent(rate) {
    return rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)} %`;
  }

  function num(value) {
    return value === null || value === undefined ? '–' : String(value);
  }

  function hasRole(...roles) {
    return !!state.me && state.me.roles.some((r) => r === 'admin' || roles.includes(r));
  }

  // ---------- API ----------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: {
        Authorization: `Bearer ${state.token}`,
        Accept: 'application/json',
        ...(options.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error =
        body && body.error ? body.error : { code: 'HTTP', message: `The hub answered ${response.status}.` };
      if (response.status === 401 && path !== '/api/me')
        signOut('Your token is no longer accepted; sign in again.');
      throw new ApiError(response.status, error.code, error.message);
    }
    return body;
  }

  // ---------- sign in / out ----------

  async function signIn(token, quiet) {
    state.token = token;
    try {
      state.me = await api('/api/me');
    } catch (error) {
      state.token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      if (!quiet)
        $('sign-in-error').textContent =
          error.status === 401 ? 'That token is not recognised.' : error.message;
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('sign-in-error').textContent = '';
    $('token').value = '';
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('session').hidden = false;
    $('whoami').textContent =
      `Signed in as ${state.me.name} (${state.me.roles.join(', ')}${state.me.council ? `: ${state.me.council}` : ''})`;
    showPanels();
    await loadAll();
    connectStream();
    $('main').focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.me = null;
    if (state.stream) state.stream.abort();
    state.stream = null;
    $('app').hidden = true;
    $('session').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('token').focus();
  }

  function showPanels() {
    const feeds = hasRole('ops', 'council');
    $('alerts-panel').hidden = !feeds;
    $('feeds-panel').hidden = !feeds;
    $('charts-panel').hidden = !feeds;
    $('dlq-panel').hidden = !feeds;
    $('destinations-panel').hidden = !hasRole('ops');
    $('lineage-panel').hidden = !hasRole('auditor', 'council');
    // Replay is an operations action: rendered for ops (and admin) only, never for auditors or councils.
    $('dlq-actions').hidden = !hasRole('ops');
    const notes = [];
    if (!feeds) notes.push('Feed status, alerts and dead letters need an ops or council token.');
    if (!hasRole('auditor', 'council')) notes.push('Lineage needs an auditor or council token.');
    $('no-access').hidden = notes.length === 0;
    $('no-access').textContent = notes.join(' ');
    renderDlqHead();
    if (state.me.council) $('dlq-council').value = state.me.council;
    $('dlq-council').readOnly = !!state.me.council;
  }

  async function loadAll() {
    const jobs = [];
    if (hasRole('ops', 'council')) {
      jobs.push(api('/api/feeds').then(renderFeeds));
      jobs.push(api('/api/alerts').then(renderAlerts));
      jobs.push(api('/api/dashboard/series').then(renderCharts));
      jobs.push(loadDlq(true));
    }
    if (hasRole('ops')) jobs.push(api('/api/destinations').then(renderDestinations));
    const results = await Promise.allSettled(jobs);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) setLive('off', `Could not load everything: ${failed.reason.message}`);
  }

  // ---------- live updates: server-sent events over fetch (so the token travels in a header) ----------

  function setLive(mode, text) {
    const live = $('live');
    live.className = `live live-${mode}`;
    live.textContent = text;
  }

  async function connectStream() {
    if (!state.token) return;
    const controller = new AbortController();
    state.stream = controller;
    setLive('connecting', 'Connecting…');
    try {
      const response = await fetch('/api/stream', {
        headers: { Authorization: `Bearer ${state.token}`, Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (response.status === 401) return signOut('Your token is no longer accepted; sign in again.');
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      setLive('on', 'Live');
      state.retryMs = 1000;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          onStreamBlock(block);
        }
      }
      throw new Error('stream ended');
    } catch (error) {
      if (controller.signal.aborted || state.stream !== controller) return;
      setLive('off', `Reconnecting in ${Math.round(state.retryMs / 1000)} s…`);
      setTimeout(() => {
        if (state.stream === controller) connectStream();
      }, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 15000);
    }
  }

  function onStreamBlock(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    let payload;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    if (type === 'snapshot') {
      setLive('on', `Live · updated ${new Date(payload.at).toLocaleTimeString()}`);
      if (payload.feeds) renderFeeds(payload.feeds);
      if (payload.alerts) renderAlerts(payload.alerts);
      if (payload.destinations) renderDestinations(payload.destinations);
    } else if (type === 'series') {
      renderCharts(payload);
    } else if (type === 'problem') {
      setLive('off', `Live, but the last update failed: ${payload.message}`);
    }
  }

  // ---------- feeds ----------

  function renderFeeds(snapshot) {
    const list = $('feeds');
    // Feeds of domains the hub does not consume yet go below the grid, folded.
    // Problems first (failing, late), then healthy, then never heard from; onboarding examples last.
    const rank = { failing: 0, late: 1, ok: 2, silent: 3 };
    const active = snapshot.feeds
      .filter((f) => f.active)
      .sort((a, b) => Number(b.member) - Number(a.member) || (rank[a.status] ?? 9) - (rank[b.status] ?? 9));
    const inactive = snapshot.feeds.filter((f) => !f.active);
    const tiles = active.map((f) => {
      const rows = [
        ['Last record', f.lastRecordAt ? ago(f.lastRecordAt) : 'never'],
        ['Records 5 min / 1 h', `${f.records5m} / ${f.records1h}`],
        ['Error rate 1 h', percent(f.errorRate1h)],
        ['Latest records', f.recentRecords ? `${f.recentRejected} of ${f.recentRecords} rejected` : '–'],
        ['DLQ waiting', num(f.dlqDepth)],
        ['Consumer lag', f.active ? num(f.consumerLag) : '–'],
        ['Expected every', f.cadence],
      ];
      return el(
        'li',
        { className: `feed status-${f.status}`, dataset: { feed: f.key, status: f.status } },
        el('h3', {}, `${f.council} · ${f.domain}`, f.member ? '' : ' (onboarding)'),
        badge('feed', f.status, STATUS_SYMBOL[f.status] || '?'),
        el(
          'dl',
          {},
          rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
        ),
        f.reasons.length && f.status !== 'inactive'
          ? el(
              'ul',
              { className: 'reasons' },
              f.reasons.map((r) => el('li', {}, r)),
            )
          : null,
      );
    });
    list.replaceChildren(...tiles);
    $('inactive-feeds').hidden = inactive.length === 0;
    $('inactive-summary').textContent =
      `${inactive.length} feeds not consumed yet (their domains have no canonical entities)`;
    $('inactive-list').replaceChildren(
      ...inactive.map((f) =>
        el(
          'li',
          { dataset: { feed: f.key, status: f.status } },
          badge('feed', f.status, STATUS_SYMBOL[f.status]),
          ` ${f.council} · ${f.domain}, expected every ${f.cadence}`,
        ),
      ),
    );
    const counts = {};
    for (const f of snapshot.feeds) counts[f.status] = (counts[f.status] || 0) + 1;
    $('feeds-summary').textContent =
      `${snapshot.feeds.length} feeds: ` +
      ['failing', 'late', 'ok', 'silent', 'inactive']
        .filter((s) => counts[s])
        .map((s) => `${counts[s]} ${s}`)
        .join(', ') +
      `. Late after ${snapshot.thresholds.lateAfterCadences} × the expected interval; failing above ${Math.round(snapshot.thresholds.failingErrorRate * 100)} % rejected (last hour or last ${snapshot.thresholds.recentWindow} records).` +
      (snapshot.lagError ? ` Lag unavailable: ${snapshot.lagError}` : '');

    // New dead letters: refresh the list unless the operator is in the middle of selecting some.
    const signature = snapshot.feeds.map((f) => `${f.key}:${f.dlqDepth}:${f.rejected1h}`).join('|');
    if (state.dlqSignature !== null && signature !== state.dlqSignature && state.selected.size === 0) {
      loadDlq(true).catch(() => undefined);
    }
    state.dlqSignature = signature;
  }

  // ---------- alerts ----------

  function renderAlerts(snapshot) {
    const item = (a) =>
      el(
        'li',
        { dataset: { alert: a.id, kind: a.kind } },
        badge('alert', a.severity, SEVERITY_SYMBOL[a.severity] || '!'),
        el('span', {}, a.summary),
      );
    // Critical and warning alerts need someone now; informational ones (feeds that never sent anything) are folded.
    const urgent = snapshot.alerts.filter((a) => a.severity !== 'info');
    const info = snapshot.alerts.filter((a) => a.severity === 'info');
    $('alerts').replaceChildren(
      ...(urgent.length ? urgent.map(item) : [el('li', {}, 'No critical or warning alerts.')]),
    );
    $('alerts-info').hidden = info.length === 0;
    $('alerts-info-summary').textContent =
      `${info.length} informational (feeds that have never sent a record)`;
    $('alerts-info-list').replaceChildren(...info.map(item));
    $('alerts-count').textContent = `(${urgent.length} to act on, ${info.length} informational)`;
  }

  // ---------- destinations ----------

  function renderDestinations(snapshot) {
    const rows = snapshot.destinations.map((d) =>
      el(
        'tr',
        { dataset: { destination: d.id } },
        el('th', { scope: 'row' }, d.id, el('br'), el('small', {}, `${d.kind}: ${d.target}`)),
        el(
          'td',
          {},
          badge('destination', d.status, STATUS_SYMBOL[d.status] || '?'),
          d.reasons.length ? el('div', {}, d.reasons.join(' ')) : null,
        ),
        el('td', {}, `${d.delivered5m} / ${d.delivered1h}`),
        el('td', {}, `${d.failed5m} / ${d.failed1h}`),
        el('td', {}, d.lastSuccessAt ? ago(d.lastSuccessAt) : 'never'),
        el(
          'td',
          {},
          `${d.latencyP50Ms === null ? '–' : `${d.latencyP50Ms} ms`} / ${d.latencyP95Ms === null ? '–' : `${d.latencyP95Ms} ms`}`,
        ),
        el('td', {}, d.circuit),
      ),
    );
    $('destinations').replaceChildren(...rows);
  }

  // ---------- charts (hand-drawn SVG) ----------

  function niceMax(value) {
    if (value <= 0) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
    return 10 * power;
  }

  function drawChart(id, points, pick, lineClass, unit) {
    const chart = $(id);
    const W = 320;
    const H = 130;
    const left = 40;
    const right = 8;
    const top = 10;
    const bottom = 22;
    const values = points.map(pick);
    const present = values.filter((v) => v !== null && v !== undefined);
    const max = niceMax(present.length ? Math.max(...present) : 0);
    const x = (i) => left + (i * (W - left - right)) / Math.max(1, points.length - 1);
    const y = (v) => top + (H - top - bottom) * (1 - v / max);
    const nodes = [
      svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(max), y2: y(max) }),
      svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(max / 2), y2: y(max / 2) }),
      svg('line', { class: 'axis', x1: left, x2: W - right, y1: y(0), y2: y(0) }),
      svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: y(0) }),
      svg('text', { x: left - 4, y: y(max) + 4, 'text-anchor': 'end' }, String(max)),
      svg('text', { x: left - 4, y: y(0) + 4, 'text-anchor': 'end' }, '0'),
    ];
    if (points.length) {
      const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      nodes.push(svg('text', { x: left, y: H - 6 }, time(points[0].at)));
      nodes.push(
        svg('text', { x: W - right, y: H - 6, 'text-anchor': 'end' }, time(points[points.length - 1].at)),
      );
    }
    // Gaps (no sample) break the line instead of pretending to be zero.
    let d = '';
    let pen = false;
    values.forEach((v, i) => {
      if (v === null || v === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    if (d) nodes.push(svg('path', { class: `line ${lineClass}`, d: d.trim() }));
    else nodes.push(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no data yet'));
    chart.replaceChildren(...nodes);
    const latest = [...values].reverse().find((v) => v !== null && v !== undefined);
    const total = present.reduce((a, b) => a + b, 0);
    $(`${id}-summary`).textContent = present.length
      ? `Latest ${latest}${unit}; highest ${Math.max(...present)}${unit}${unit ? '' : `; ${total} in the hour`}.`
      : 'No data in the last hour.';
  }

  function renderCharts(series) {
    const points = series.points || [];
    drawChart('chart-throughput', points, (p) => p.received, '', '');
    drawChart('chart-errors', points, (p) => p.rejected, 'line-errors', '');
    drawChart('chart-lag', points, (p) => p.lag, 'line-lag', ' messages');
    drawChart('chart-latency', points, (p) => p.latencyP95Ms, 'line-latency', ' ms');
  }

  // ---------- dead letters ----------

  function dlqFilter() {
    const form = $('dlq-filter');
    const value = (name) => form.elements[name].value.trim();
    const iso = (name) => (value(name) ? new Date(value(name)).toISOString() : '');
    return {
      council: value('council'),
      domain: value('domain'),
      code: value('code'),
      from: iso('from'),
      to: iso('to'),
      state: value('state'),
    };
  }

  function renderDlqHead() {
    const cells = [];
    if (hasRole('ops'))
      cells.push(el('th', { scope: 'col' }, el('span', { className: 'visually-hidden' }, 'Select')));
    for (const name of ['Received', 'Feed', 'Code', 'Reason', 'Source event (ce_id)', 'State'])
      cells.push(el('th', { scope: 'col' }, name));
    $('dlq-head').replaceChildren(...cells);
  }

  async function loadDlq(reset) {
    const f = dlqFilter();
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
    params.set('limit', '50');
    if (!reset && state.dlqCursor) params.set('cursor', state.dlqCursor);
    const page = await api(`/api/dlq?${params}`);
    if (reset) {
      $('dlq').replaceChildren();
      state.selected.clear();
      updateReplayButton();
    }
    state.dlqCursor = page.nextCursor;
    $('dlq-more').hidden = !page.nextCursor;
    const rows = page.deadLetters.map(dlqRow);
    $('dlq').append(...rows);
    if (reset && rows.length === 0)
      $('dlq').append(el('tr', {}, el('td', { colspan: hasRole('ops') ? 7 : 6 }, 'No dead letters match.')));
  }

  function dlqRow(d) {
    const cells = [];
    if (hasRole('ops')) {
      const box = el('input', {
        type: 'checkbox',
        id: `dlq-select-${d.id}`,
        'aria-label': `Select dead letter ${d.sourceEventId || d.id}`,
        disabled: !!d.replay,
      });
      box.addEventListener('change', () => {
        if (box.checked) state.selected.add(d.id);
        else state.selected.delete(d.id);
        updateReplayButton();
      });
      cells.push(el('td', {}, box));
    }
    cells.push(
      el('td', {}, when(d.receivedAt)),
      el('td', {}, `${d.council} · ${d.domain}`),
      el('td', { className: 'code' }, el('code', {}, d.code || '–')),
      el('td', { className: 'reason' }, d.reason || '–'),
      el('td', {}, el('code', {}, d.sourceEventId || '–')),
      el(
        'td',
        {},
        d.replay
          ? `replayed ${when(d.replay.replayedAt)} by ${d.replay.actor.replace(/^person:/, '')}`
          : 'waiting',
      ),
    );
    return el('tr', { dataset: { deadLetter: d.id, sourceEventId: d.sourceEventId || '' } }, cells);
  }

  function updateReplayButton() {
    const button = $('replay-selected');
    button.disabled = state.selected.size === 0;
    button.textContent = state.selected.size ? `Replay selected (${state.selected.size})` : 'Replay selected';
  }

  async function replay(body) {
    const status = $('dlq-status');
    status.textContent = 'Replaying…';
    try {
      const report = await api('/api/dlq/replay', { method: 'POST', body: JSON.stringify(body) });
      const reasons = Object.entries(report.skippedByReason)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(', ');
      status.textContent =
        `Replayed ${report.replayed} of ${report.requested}` +
        (report.skipped ? `; skipped ${report.skipped} (${reasons})` : '') +
        (report.truncated ? '; more match the filter: replay again for the rest' : '') +
        `. Replay id ${report.replayId}.`;
      await loadDlq(true);
    } catch (error) {
      status.textContent = `Replay failed: ${error.message}`;
    }
  }

  // ---------- lineage ----------

  const DETAIL_KEYS = [
    'reason',
    'replayOf',
    'replayId',
    'originalEventId',
    'topic',
    'partition',
    'offset',
    'dlqTopic',
    'destination',
    'route',
    'latencyMs',
    'mappingId',
    'what',
  ];

  async function showLineage(id) {
    const status = $('lineage-status');
    const out = $('lineage');
    status.textContent = 'Looking up…';
    out.replaceChildren();
    try {
      const lineage = await api(`/api/lineage/${encodeURIComponent(id)}`);
      status.textContent = `${lineage.sources.length} source event(s) found (matched as ${lineage.matchedAs.join(', ')}).`;
      out.replaceChildren(
        ...lineage.sources.map((s) =>
          el(
            'article',
            { className: 'story' },
            el(
              'h3',
              {},
              `Source event `,
              el('code', {}, s.sourceEventId),
              ` · ${s.council || '?'} · ${s.domain || '?'} · outcome: ${s.outcome}`,
            ),
            el(
              'ol',
              { className: 'timeline' },
              s.events.map((e) =>
                el(
                  'li',
                  { dataset: { stage: e.stage } },
                  el('span', { className: 'when' }, when(e.occurredAt)),
                  el('span', { className: `badge badge-stage badge-stage-${e.stage}` }, e.stage),
                  ` ${e.actor}`,
                  e.code ? [' · ', el('code', {}, e.code)] : null,
                  DETAIL_KEYS.filter(
                    (k) => e.detail && e.detail[k] !== undefined && e.detail[k] !== null,
                  ).map((k) =>
                    el('span', { className: 'detail' }, `${k}: `, el('code', {}, String(e.detail[k]))),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      status.textContent =
        error.status === 404 ? `Nothing found for ${id}.` : `Lineage failed: ${error.message}`;
    }
  }

  // ---------- wiring ----------

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token').value.trim();
      if (token) signIn(token, false);
    });
    $('sign-out').addEventListener('click', () => signOut('Signed out.'));
    $('dlq-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      loadDlq(true).catch((error) => ($('dlq-status').textContent = error.message));
    });
    $('dlq-more').addEventListener('click', () =>
      loadDlq(false).catch((error) => ($('dlq-status').textContent = error.message)),
    );
    $('replay-selected').addEventListener('click', () => replay({ ids: [...state.selected] }));
    $('replay-matching').addEventListener('click', () => {
      const f = dlqFilter();
      const filter = {};
      for (const k of ['council', 'domain', 'code', 'from', 'to']) if (f[k]) filter[k] = f[k];
      if (Object.keys(filter).length === 0) {
        $('dlq-status').textContent =
          'Set at least one filter (council, domain, code or time) before replaying all that match.';
        return;
      }
      replay({ filter });
    });
    $('lineage-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('lineage-id').value.trim();
      if (id) showLineage(id);
    });
    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) signIn(saved, true);
    else $('token').focus();
  });
})();
