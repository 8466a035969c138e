/* Page wiring: session, login form, the feed, the action buttons.
   Actions carry the session's CSRF token in X-CSRF-Token (README "Security"). */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const session = { csrf: null, units: [], user: null };
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
    $('logout').hidden = true;
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

  async function failover(action) {
    const text = action === 'standby' ? 'Give up the floating IPs and resources to the peer?' : 'Take the floating IPs and resources from the peer?';
    if (!confirm(text)) return;
    const r = await api('POST', '/api/failover', { action });
    say(r.status === 202 ? 'Manual ' + action + ' requested.' : cap(action) + ' refused: ' + (r.data.message || r.status));
  }
  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  function startOverview(s) {
    session.csrf = s.csrf;
    session.units = s.units || [];
    session.user = s.user;
    document.body.classList.remove('logged-out');
    $('login-view').hidden = true;
    $('overview').hidden = false;
    $('logout').hidden = false;
    window.LbosRender.reset();
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/feed';
    feed = new window.LbosFeed.FeedClient({
      url,
      onState: (state) => {
        window.LbosRender.render(state, { units: session.units, onRestart: restartUnit });
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
    $('logout').addEventListener('click', async () => {
      await api('POST', '/api/logout', {});
      showLogin('Logged out.');
    });
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      $('login-submit').disabled = true;
      $('login-error').textContent = '';
      try {
        const r = await api('POST', '/api/login', { user: $('login-user').value, password: $('login-password').value });
        if (r.status === 200) return startOverview(r.data);
        $('login-error').textContent = r.status === 429 ? 'Too many attempts; try again in ' + (r.retryAfter || 'a few') + ' s.' : r.status === 401 ? 'Wrong user name or password.' : 'Login failed (' + r.status + ').';
      } catch (e) {
        $('login-error').textContent = 'The appliance did not answer.';
      } finally {
        $('login-submit').disabled = false;
      }
    });
    try {
      const r = await api('GET', '/api/session');
      if (r.status === 200) return startOverview(r.data);
    } catch (e) { /* not reachable: show the form */ }
    // The form was usable while the session check ran: a password typed meanwhile stays.
    showLogin('', true);
  }

  document.addEventListener('DOMContentLoaded', () => void boot());
})();
