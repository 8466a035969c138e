/* Page wiring: session, login form, the feed, the action buttons.
   Actions carry the session's CSRF token in X-CSRF-Token (README "Security"). */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const session = { csrf: null, units: [], user: null, paired: null };
  /** The password typed at login, kept only while the initial one must be changed. */
  let typedAtLogin = '';
  let feed = null;

  async function api(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session.csrf) headers['x-csrf-token'] = session.csrf;
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
    let data = {};
    try { data = await r.json(); } catch (e) { data = {}; }
    return { status: r.status, data, retryAfter: r.headers.get('retry-after') };
  }

  function setLive(status, detail) {
    const live = document.querySelector('.live');
    live.classList.toggle('ok', status === 'live');
    live.classList.toggle('lost', status === 'lost' || status === 'logged-out');
    $('live-text').textContent = status === 'live' ? 'live' : status === 'lost' ? 'feed lost' : status === 'logged-out' ? 'logged out' : 'connecting';
    const stale = status !== 'live';
    document.body.classList.toggle('stale', stale && feed !== null && feed.state !== null);
    $('lost-banner').hidden = !(status === 'lost' && feed !== null && feed.state !== null);
    $('lost-detail').textContent = detail || '';
    if (status === 'logged-out') showLogin('Your session ended; please log in again.');
  }

  /** keepTyped: the first showing, after the session check, keeps what the user may already have typed. */
  function showLogin(message, keepTyped) {
    if (feed) feed.stop();
    feed = null;
    session.csrf = null;
    document.body.classList.add('logged-out');
    document.body.classList.remove('stale');
    $('lost-banner').hidden = true;
    $('overview').hidden = true;
    $('ha-view').hidden = true;
    $('sync-view').hidden = true;
    $('tabs').hidden = true;
    $('password-view').hidden = true;
    $('logout').hidden = true;
    $('password-link').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = message || '';
    if (!keepTyped) $('login-password').value = '';
    if (!keepTyped || $('login-password').value === '') $('login-password').focus();
  }

  function say(text) {
    $('action-msg').textContent = text;
  }

  async function restartUnit(unit) {
    if (!confirm('Restart ' + unit + '?')) return;
    const r = await api('POST', '/api/units/restart', { unit });
    say(r.status === 202 ? 'Restart of ' + unit + ' requested.' : 'Restart of ' + unit + ' refused: ' + (r.data.message || r.status));
  }

  async function failover(action, where) {
    const text = action === 'standby' ? 'Give up the floating IPs and resources to the peer?' : action === 'takeover' ? 'Take the floating IPs and resources from the peer?'
      : 'Restart the heartbeat on both units (the peer first, then this one)? The floating IPs move during it.';
    if (!confirm(text)) return;
    const r = await api('POST', '/api/failover', { action });
    const msg = r.status === 202 ? (action === 'restart-pair' ? 'Restart of the heartbeat on both units requested.' : 'Manual ' + action + ' requested.') : cap(action) + ' refused: ' + (r.data.message || r.status);
    if (where) $(where).textContent = msg; else say(msg);
  }

  /** Tabs: one view at a time; the feed keeps running under all of them. */
  function showView(id) {
    for (const v of ['overview', 'ha-view', 'sync-view']) $(v).hidden = v !== id;
    for (const t of document.querySelectorAll('.tab')) t.classList.toggle('on', t.getAttribute('data-view') === id);
    if (id === 'ha-view') void loadHeartbeat();
  }

  /** Set while the user edits the heartbeat form: a reload of the settings must not overwrite what was typed. */
  const hbForm = { dirty: false };

  /** The heartbeat settings of a paired unit (hidden while it is not paired). */
  async function loadHeartbeat() {
    const r = await api('GET', '/api/ha/settings');
    $('card-hb-settings').hidden = r.status !== 200;
    if (r.status !== 200 || hbForm.dirty) return;
    for (const k of ['keepalive', 'warntime', 'deadtime', 'initdead']) $('hb-' + k).value = r.data[k] || '';
    $('hb-ping').value = r.data.pingNode || '';
    $('hb-serial').checked = !!r.data.serial;
    $('hb-serial').disabled = !r.data.serialPort && !r.data.serial;
  }

  async function applyHeartbeat() {
    if (!confirm('Apply these heartbeat settings on both units? The heartbeat restarts on both; the floating IPs may move.')) return;
    const body = { keepalive: $('hb-keepalive').value.trim(), warntime: $('hb-warntime').value.trim(), deadtime: $('hb-deadtime').value.trim(),
      initdead: $('hb-initdead').value.trim(), pingNode: $('hb-ping').value.trim() === '' ? null : $('hb-ping').value.trim(), serial: $('hb-serial').checked };
    $('ha-msg').textContent = 'Applying the heartbeat settings…';
    const r = await api('POST', '/api/ha/settings', body);
    // The form shows what ha.cf says now (after a refusal too), before the outcome is said.
    hbForm.dirty = false;
    await loadHeartbeat();
    $('ha-msg').textContent = r.status === 200 ? (r.data.changed ? 'Heartbeat settings applied: ' + (r.data.steps || []).join('; ') + '.' : 'Nothing to change.')
      : 'Heartbeat settings refused: ' + (r.data.message || r.status);
  }

  const pending = { request: null };

  /** Pairing, step 1: the peer's certificate fingerprint, to confirm before anything is sent. */
  async function checkPeer() {
    const vips = $('pair-vips').value.split(/[\s,]+/).filter((v) => v !== '');
    const request = { peer: $('pair-peer').value.trim(), password: $('pair-password').value, vips, serial: $('pair-serial').checked };
    const ping = $('pair-ping').value.trim();
    if (ping !== '') request.pingNode = ping === 'none' ? null : ping;
    $('ha-msg').textContent = '';
    const r = await api('POST', '/api/pair/probe', { peer: request.peer });
    if (r.status !== 200) { $('ha-msg').textContent = 'Cannot check the peer: ' + (r.data.message || r.status); return; }
    pending.request = { ...request, fingerprint: r.data.fingerprint };
    $('pair-fingerprint').textContent = r.data.fingerprint;
    $('pair-confirm').hidden = false;
  }

  /** Pairing, step 2: confirmed; paird does the rest, its progress comes through the feed. */
  async function startPairing() {
    const request = pending.request;
    pending.request = null;
    $('pair-confirm').hidden = true;
    if (!request) return;
    $('pair-password').value = '';
    const r = await api('POST', '/api/pair/start', request);
    $('ha-msg').textContent = r.status === 200 ? 'Pairing with ' + request.peer + ' started: its steps below.' : 'Pairing refused: ' + (r.data.message || r.status);
  }

  async function unpair() {
    if (!confirm('Unpair this unit? hbd and csyncd stop here; the floating IPs go. Unpair the peer too.')) return;
    const r = await api('POST', '/api/pair/unpair', {});
    $('ha-msg').textContent = r.status === 200 ? 'Unpaired: ' + ((r.data.moved || []).length) + ' files set aside.' : 'Unpair refused: ' + (r.data.message || r.status);
  }

  async function push(service) {
    const r = await api('POST', '/api/sync/push', { service });
    $('sync-msg').textContent = r.status === 200 ? r.data.result || ('Pushed ' + service + '.') : 'Push of ' + service + ' refused: ' + (r.data.message || r.status);
  }

  async function save(remote) {
    const r = await api('POST', '/api/sync/save', { remote });
    $('sync-msg').textContent = r.status === 200 ? r.data.result || 'Saved.' : 'Save refused: ' + (r.data.message || r.status);
  }
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  /**
   * The password form. forced: logged in with the unit's initial password,
   * which must be changed before anything else (the API refuses the rest);
   * the current password is the one just typed, so it is not asked again.
   */
  function showPasswordForm(forced) {
    if (feed) feed.stop();
    feed = null;
    document.body.classList.remove('logged-out');
    $('login-view').hidden = true;
    $('overview').hidden = true;
    $('ha-view').hidden = true;
    $('sync-view').hidden = true;
    $('tabs').hidden = true;
    $('password-view').hidden = false;
    $('logout').hidden = false;
    $('password-link').hidden = true;
    $('password-title').textContent = forced ? 'Change the initial password' : 'Change the password';
    $('password-hint').textContent = forced
      ? 'This is the first login with the password from the console. Choose your own password (8 characters or more) to continue.'
      : 'Choose a new password for ' + session.user + ' (8 characters or more). Your other sessions will end.';
    const askCurrent = !(forced && typedAtLogin !== '');
    $('password-current-label').hidden = !askCurrent;
    $('password-current').required = askCurrent;
    $('password-cancel').hidden = forced;
    for (const id of ['password-current', 'password-new', 'password-again']) $(id).value = '';
    $('password-error').textContent = '';
    $(askCurrent ? 'password-current' : 'password-new').focus();
  }

  async function submitPassword() {
    const next = $('password-new').value;
    if (next !== $('password-again').value) { $('password-error').textContent = 'The two new passwords differ.'; return; }
    const current = $('password-current-label').hidden ? typedAtLogin : $('password-current').value;
    const r = await api('POST', '/api/password', { current, password: next });
    if (r.status === 200) {
      typedAtLogin = '';
      startOverview(r.data);
      say('Password changed.');
      return;
    }
    if (r.status === 401) return showLogin('Your session ended; please log in again.');
    $('password-error').textContent = r.status === 429 ? 'Too many attempts; try again in ' + (r.retryAfter || 'a few') + ' s.'
      : r.status === 403 && r.data.error === 'BAD_CREDENTIALS' ? 'The current password is wrong.'
      : (r.data.message || ('Refused (' + r.status + ').'));
  }

  /** After login or a session check: the overview, or first the password change. */
  function enter(s) {
    session.csrf = s.csrf;
    session.units = s.units || [];
    session.user = s.user;
    if (s.mustChangePassword) return showPasswordForm(true);
    startOverview(s);
  }

  function startOverview(s) {
    session.csrf = s.csrf;
    session.units = s.units || [];
    session.user = s.user;
    document.body.classList.remove('logged-out');
    $('login-view').hidden = true;
    $('password-view').hidden = true;
    showView('overview');
    $('tabs').hidden = false;
    $('logout').hidden = false;
    $('password-link').hidden = false;
    $('own-fingerprint').textContent = s.fingerprint || '?';
    window.LbosRender.reset();
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/feed';
    feed = new window.LbosFeed.FeedClient({
      url,
      onState: (state) => {
        window.LbosRender.render(state, { units: session.units, onRestart: restartUnit, onPush: push });
        // Paired or unpaired since the page loaded the heartbeat settings: load them again.
        const paired = !!(state.paird && state.paird.paired);
        if (paired !== session.paired) {
          session.paired = paired;
          void loadHeartbeat();
        }
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString([], { hour12: false });
      },
      onStatus: setLive,
      checkSession: async () => (await api('GET', '/api/session')).status !== 401,
    });
    feed.start();
  }

  async function boot() {
    $('btn-standby').addEventListener('click', () => failover('standby'));
    $('btn-takeover').addEventListener('click', () => failover('takeover'));
    $('ha-standby').addEventListener('click', () => failover('standby', 'ha-msg'));
    $('ha-takeover').addEventListener('click', () => failover('takeover', 'ha-msg'));
    $('ha-restart').addEventListener('click', () => failover('restart-pair', 'ha-msg'));
    for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => showView(t.getAttribute('data-view')));
    $('pair-form').addEventListener('submit', (ev) => { ev.preventDefault(); void checkPeer(); });
    $('pair-go').addEventListener('click', () => void startPairing());
    $('pair-cancel').addEventListener('click', () => { pending.request = null; $('pair-confirm').hidden = true; });
    $('btn-unpair').addEventListener('click', () => void unpair());
    $('hb-form').addEventListener('submit', (ev) => { ev.preventDefault(); void applyHeartbeat(); });
    $('hb-form').addEventListener('input', () => { hbForm.dirty = true; });
    $('sync-save-local').addEventListener('click', () => void save(false));
    $('sync-save-remote').addEventListener('click', () => void save(true));
    $('logout').addEventListener('click', async () => {
      await api('POST', '/api/logout', {});
      showLogin('Logged out.');
    });
    $('password-link').addEventListener('click', () => showPasswordForm(false));
    $('password-cancel').addEventListener('click', async () => {
      const r = await api('GET', '/api/session');
      if (r.status === 200) enter(r.data); else showLogin('Your session ended; please log in again.');
    });
    $('password-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      $('password-submit').disabled = true;
      $('password-error').textContent = '';
      try {
        await submitPassword();
      } catch (e) {
        $('password-error').textContent = 'The appliance did not answer.';
      } finally {
        $('password-submit').disabled = false;
      }
    });
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      $('login-submit').disabled = true;
      $('login-error').textContent = '';
      try {
        const r = await api('POST', '/api/login', { user: $('login-user').value, password: $('login-password').value });
        if (r.status === 200) {
          typedAtLogin = r.data.mustChangePassword ? $('login-password').value : '';
          $('login-password').value = '';
          return enter(r.data);
        }
        $('login-error').textContent = r.status === 429 ? 'Too many attempts; try again in ' + (r.retryAfter || 'a few') + ' s.' : r.status === 401 ? 'Wrong user name or password.' : 'Login failed (' + r.status + ').';
      } catch (e) {
        $('login-error').textContent = 'The appliance did not answer.';
      } finally {
        $('login-submit').disabled = false;
      }
    });
    try {
      const r = await api('GET', '/api/session');
      if (r.status === 200) return enter(r.data);
    } catch (e) { /* not reachable: show the form */ }
    // The form was usable while the session check ran: a password typed meanwhile stays.
    showLogin('', true);
  }

  document.addEventListener('DOMContentLoaded', () => void boot());
})();
