/* State tree -> DOM. Text goes in with textContent only (values come from
   the network); each section is redrawn only when its part of the state changed. */
'use strict';

(function () {
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  const table = (head, rows) => el('table', {}, el('thead', {}, el('tr', {}, head.map((h) => el('th', {}, h)))), el('tbody', {}, rows));
  const absent = (what) => el('p', { class: 'absent' }, what);
  const pill = (text, colour) => el('span', { class: 'pill ' + (colour || '') }, text);
  const time = (ms) => (ms ? new Date(ms).toLocaleTimeString([], { hour12: false }) : 'never');
  const cap = (s) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : '');
  function duration(s) {
    if (s === null || s === undefined) return '?';
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return (d > 0 ? d + ' d ' : '') + (d > 0 || h > 0 ? h + ' h ' : '') + m + ' min';
  }
  const activeColour = (a) => ({ active: 'green', reloading: 'blue', activating: 'blue', deactivating: 'orange', failed: 'red', inactive: '' })[a] || 'orange';

  /** Status bar: the reference appliance's Master|Slave Active|Passive Link. */
  function statusBar(h) {
    const running = !!(h && h.running && !h.error);
    const on = (id, yes) => document.getElementById(id).classList.toggle('on', !!yes);
    on('bar-master', running && h.role === 'master');
    on('bar-slave', running && h.role === 'slave');
    on('bar-active', running && h.state === 'active');
    on('bar-passive', running && h.state === 'passive');
    const up = running && (h.links || []).some((l) => l.status === 'up');
    const hasPeer = running && !!h.peer;
    const link = document.getElementById('bar-link');
    link.classList.toggle('on', hasPeer && up);
    link.classList.toggle('down', hasPeer && !up);
    link.title = !hasPeer ? 'no peer' : up ? 'heartbeat link up' : 'heartbeat link DOWN';
    const note = document.getElementById('bar-note');
    note.className = 'bar-note';
    note.textContent = '';
    if (!running) note.textContent = h && h.error ? 'hbd unreadable' : 'hbd not running';
    else if (h.state === 'init') { note.textContent = 'starting'; note.classList.add('warn'); }
    else if (h.state === 'stopped') note.textContent = 'stopped';
    else if (!h.healthy) note.textContent = 'unhealthy';
  }

  function cluster(h) {
    if (!h || !h.running) return absent('hbd is not running: cluster state unknown.');
    // What hbd --check-config warns about (e.g. one heartbeat medium and no ping node): an alert until the config is fixed.
    const warnings = (h.warnings || []).map((w) => el('li', { 'data-code': w.code }, pill('warning', 'orange'), ' ', el('b', {}, w.code), ' ', w.message));
    const kv = el('dl', { class: 'kv' },
      el('dt', {}, 'This unit'), el('dd', {}, (h.node || '?') + ' — ' + cap(h.role) + ', ' + cap(h.state)),
      el('dt', {}, 'Peer'), el('dd', {}, (h.peer || 'none') + (h.peer ? ' — ' + h.peerStatus + (h.peerState !== 'unknown' ? ', says ' + h.peerState : '') : '')),
      el('dt', {}, 'Health'), el('dd', {}, h.healthy ? 'ok' : pill('failing', 'red'), h.pingReachable ? ' (ping nodes reachable: ' + h.pingReachable + ')' : ''));
    return el('div', {}, warnings.length ? el('ul', { class: 'alerts', id: 'hbd-warnings', role: 'alert' }, ...warnings) : null, kv);
  }

  function resources(h) {
    if (!h || !h.running) return absent('hbd is not running.');
    if (!h.resources || h.resources.length === 0) return absent('No resources configured.');
    const colour = { held: 'green', released: '', failed: 'red' };
    return table(['Resource', 'State', 'Detail'], h.resources.map((r) => el('tr', {}, el('td', { class: 'addr' }, r.name), el('td', {}, pill(r.status, colour[r.status])), el('td', {}, r.detail))));
  }

  function links(h) {
    if (!h || !h.running) return absent('hbd is not running.');
    if (!h.links || h.links.length === 0) return absent('No heartbeat links.');
    return table(['Link', 'State', 'Last heard', 'Received', 'Dropped'], h.links.map((l) => el('tr', { 'data-link': l.id, 'data-status': l.status },
      el('td', { class: 'addr' }, l.id), el('td', {}, pill(l.status, l.status === 'up' ? 'green' : 'red')), el('td', {}, time(l.lastSeen)),
      el('td', { class: 'num' }, l.received), el('td', { class: 'num' }, l.dropped))));
  }

  function services(sd, units, onRestart) {
    if (!sd) return absent('systemd state unknown.');
    const rows = units.map((u) => {
      const s = (sd.units || {})[u];
      const state = !sd.connected ? pill('unknown') : !s ? pill('…') : s.load === 'not-found' ? pill('not installed') : pill(s.active + (s.sub && s.sub !== s.active ? ' (' + s.sub + ')' : ''), activeColour(s.active));
      return el('tr', { 'data-unit': u }, el('td', {}, u), el('td', {}, state), el('td', { class: 'num' }, s && s.restarts !== null && s.restarts !== undefined ? s.restarts : ''),
        el('td', {}, el('button', { type: 'button', class: 'restart', onclick: () => onRestart(u), disabled: !sd.connected || (s && s.load === 'not-found') }, 'Restart')));
    });
    return el('div', {}, sd.connected ? null : absent('systemd is not reachable' + (sd.error ? ': ' + sd.error : '') + '.'), table(['Unit', 'State', 'Restarts', ''], rows));
  }

  function sync(c) {
    if (!c || !c.running) return el('div', { class: 'sync' }, el('span', { class: 'lamp' }), el('span', { class: 'absent' }, 'csyncd not running'));
    const rows = (c.services || []).map((s) => el('tr', {}, el('td', {}, s.name), el('td', {}, pill(s.state, s.state === 'in-sync' ? 'green' : 'orange')), el('td', {}, s.detail)));
    return el('div', {},
      el('div', { class: 'sync' }, el('span', { class: 'lamp ' + c.status, id: 'sync-lamp', 'data-status': c.status }), el('b', {}, cap(c.status)), el('span', {}, c.reason)),
      rows.length ? table(['Service', 'State', 'Detail'], rows) : null);
  }

  /** The front panel as the technician in the rack sees it: LCD rows, LEDs, alerts. */
  function panel(p) {
    if (!p || !p.running) return absent('paneld is not running.');
    const lcd = p.lcdConnected
      ? el('pre', { class: 'lcd' + (p.mode === 'alert' ? ' alert' : ''), id: 'panel-lcd', 'aria-label': 'LCD ' + p.lcdSize }, (p.lcd || []).join('\n'))
      : absent('No LCD (LCDd not running or no panel): the console banner shows the state.');
    const ledColour = { on: 'green', blink: 'orange', off: '', missing: '', error: 'red' };
    const leds = (p.leds || []).map((l) => el('span', { class: 'led-item', title: l.name + (l.detail ? ': ' + l.detail : '') }, pill(l.state, ledColour[l.state] || ''), ' ' + l.role));
    const alerts = (p.alerts || []).map((a) => el('li', {}, pill(a.severity, a.severity === 'critical' ? 'red' : 'orange'), ' ', el('b', {}, a.title), ' ', a.detail));
    return el('div', { class: 'panel' }, lcd, leds.length ? el('div', { class: 'leds' }, ...leds) : null, alerts.length ? el('ul', { class: 'alerts' }, ...alerts) : null);
  }

  function nics(n) {
    if (!n || !n.running) return absent('nicd is not running: interfaces unknown.');
    const names = Object.keys(n.interfaces || {}).sort();
    if (names.length === 0) return absent('No interfaces.');
    return table(['Interface', 'Link', 'Speed', 'MTU', 'MAC', 'Addresses'], names.map((name) => {
      const i = n.interfaces[name];
      const link = !i.up ? pill('admin down') : i.carrier ? pill('up', 'green') : pill('no carrier', 'red');
      return el('tr', {}, el('td', {}, name + (name === n.management ? ' (mgmt)' : '')), el('td', {}, link), el('td', {}, i.speed ? i.speed + ' Mb/s' + (i.duplex ? ' ' + i.duplex : '') : ''),
        el('td', { class: 'num' }, i.mtu), el('td', { class: 'addr' }, i.mac), el('td', { class: 'addr' }, (i.addresses || []).join(' ')));
    }));
  }

  function meter(pct) {
    const p = Math.max(0, Math.min(100, pct || 0));
    return el('span', { class: 'meter' + (p >= 90 ? ' hot' : ''), title: p + '%' }, el('span', { style: null, 'data-pct': p }));
  }

  function system(s) {
    if (!s) return absent('No figures yet.');
    const cpu = s.cpu || {}, mem = s.memory || {};
    const kv = el('dl', { class: 'kv' },
      el('dt', {}, 'CPU'), el('dd', {}, meter(cpu.percent), (cpu.percent ?? '?') + ' %' + (cpu.cores ? ' of ' + cpu.cores + ' cores' : '') + (cpu.load1 !== null && cpu.load1 !== undefined ? ', load ' + cpu.load1 : '')),
      el('dt', {}, 'Memory'), el('dd', {}, meter(mem.percent), (mem.usedMiB ?? '?') + ' / ' + (mem.totalMiB ?? '?') + ' MiB'),
      el('dt', {}, 'Uptime'), el('dd', {}, duration(s.uptimeS)),
      el('dt', {}, 'Temperature'), el('dd', {}, s.temperatureC ? (s.temperatureC.main ?? s.temperatureC.max) + ' °C' : 'no sensor'),
      ...(s.disks || []).flatMap((d) => [el('dt', {}, 'Disk ' + d.mount), el('dd', {}, meter(d.usedPercent), d.usedPercent + ' % of ' + d.sizeGiB + ' GiB')]));
    // Widths set through the DOM (CSP forbids inline style attributes in markup, not the CSSOM).
    kv.querySelectorAll('[data-pct]').forEach((b) => { b.style.width = b.getAttribute('data-pct') + '%'; });
    return kv;
  }

  const last = {};
  /** Redraw the sections whose input changed. */
  /** The HA page's pairing card: not paired (the form), paired (with whom), and the last pairing's steps. */
  function pairing(pd) {
    const paired = !!(pd && pd.running && pd.paired);
    document.getElementById('pair-form').hidden = paired || !(pd && pd.running) || (pd.pairing && pd.pairing.state === 'running');
    document.getElementById('unpair-actions').hidden = !paired;
    const p = pd && pd.pairing;
    const took = (st) => (st.status === 'done' || st.status === 'failed') && typeof st.ms === 'number' ? ' (' + (st.ms / 1000).toFixed(1) + ' s)' : '';
    const steps = p && p.steps ? p.steps.map((st) => el('li', { 'data-status': st.status, 'data-step': st.id }, st.title, st.detail ? ': ' + st.detail : '', st.status === 'running' ? ' …' : took(st))) : [];
    document.getElementById('pair-steps').replaceChildren(...steps);
    if (!pd || !pd.running) return absent('paird is not running: pairing is not available.');
    const outcome = !p || p.state === 'idle' ? null
      : p.state === 'running' ? el('p', { id: 'pair-outcome', 'data-state': 'running' }, pill('pairing', 'blue'), ' with ' + p.peer + '…')
      : p.state === 'done' ? el('p', { id: 'pair-outcome', 'data-state': 'done' }, pill('paired', 'green'), ' in ' + ((p.finishedAt - p.startedAt) / 1000).toFixed(1) + ' s')
      : el('p', { id: 'pair-outcome', 'data-state': 'failed', role: 'alert' }, pill('not paired', 'red'), ' ' + (p.error ? p.error.code + ': ' + p.error.reason : ''));
    const warnings = p && p.warnings && p.warnings.length ? el('ul', { class: 'alerts' }, p.warnings.map((w) => el('li', {}, pill('warning', 'orange'), ' ', w))) : null;
    const head = paired ? el('p', { id: 'pair-status', 'data-paired': 'yes' }, 'This unit is paired with ', el('b', {}, pd.peer), '.') : el('p', { id: 'pair-status', 'data-paired': 'no' }, 'This unit is not paired.');
    return el('div', {}, head, outcome, warnings);
  }

  /** The sync page: each service with its state and a Push button. */
  function syncPage(c, onPush) {
    if (!c || !c.running) return absent('csyncd is not running (the unit is not paired yet).');
    const colour = (st) => (st === 'in-sync' ? 'green' : st === 'conflict' || st === 'error' ? 'red' : 'orange');
    const rows = (c.services || []).map((s) => el('tr', { 'data-service': s.name }, el('td', {}, s.name), el('td', {}, pill(s.state, colour(s.state))), el('td', {}, s.detail),
      el('td', {}, el('button', { type: 'button', class: 'push', onclick: () => onPush(s.name) }, 'Push to the peer'))));
    return el('div', {},
      el('div', { class: 'sync' }, el('span', { class: 'lamp ' + c.status, 'data-status': c.status }), el('b', {}, cap(c.status)), el('span', {}, c.reason)),
      rows.length ? table(['Service', 'State', 'Detail', ''], rows) : absent('No synced services.'));
  }

  function render(state, ctx) {
    const parts = {
      bar: [state.hbd], cluster: [state.hbd], resources: [state.hbd && state.hbd.resources, state.hbd && state.hbd.running],
      links: [state.hbd && state.hbd.links, state.hbd && state.hbd.running], services: [state.systemd, ctx.units], sync: [state.csyncd],
      nics: [state.nicd], system: [state.system], panel: [state.paneld],
      pairing: [state.paird], haCluster: [state.hbd], haLinks: [state.hbd && state.hbd.links, state.hbd && state.hbd.running], syncPage: [state.csyncd],
    };
    const draw = {
      bar: () => statusBar(state.hbd),
      cluster: () => document.getElementById('cluster').replaceChildren(cluster(state.hbd)),
      resources: () => document.getElementById('resources').replaceChildren(resources(state.hbd)),
      links: () => document.getElementById('links').replaceChildren(links(state.hbd)),
      services: () => document.getElementById('services').replaceChildren(services(state.systemd, ctx.units, ctx.onRestart)),
      sync: () => document.getElementById('sync').replaceChildren(sync(state.csyncd)),
      nics: () => document.getElementById('nics').replaceChildren(nics(state.nicd)),
      system: () => document.getElementById('system').replaceChildren(system(state.system)),
      panel: () => document.getElementById('panel').replaceChildren(panel(state.paneld)),
      pairing: () => document.getElementById('pair-state').replaceChildren(pairing(state.paird)),
      haCluster: () => document.getElementById('ha-cluster').replaceChildren(cluster(state.hbd)),
      haLinks: () => document.getElementById('ha-links').replaceChildren(links(state.hbd)),
      syncPage: () => document.getElementById('sync-services').replaceChildren(syncPage(state.csyncd, ctx.onPush)),
    };
    for (const k of Object.keys(parts)) {
      const key = JSON.stringify(parts[k]);
      if (last[k] === key) continue;
      last[k] = key;
      draw[k]();
    }
    const unit = state.unit || {};
    document.getElementById('unit-name').textContent = (unit.hostname || '') + (state.hbd && state.hbd.node ? ' (' + state.hbd.node + ')' : '');
    document.title = 'System Overview — ' + (unit.hostname || 'LBOS');
  }

  function reset() { for (const k of Object.keys(last)) delete last[k]; }

  window.LbosRender = { render, reset };
})();
