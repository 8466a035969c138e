/* The feed protocol in the browser (services/statusd/README.md "Feed protocol"):
   snapshot, ordered deltas, resume with EPOCH.SEQ after a reconnect,
   heartbeat watchdog, exponential backoff with jitter. */
'use strict';

(function () {
  const BACKOFF_MIN_MS = 500;
  const BACKOFF_MAX_MS = 10000;

  /** Put a change into the state tree (arrays are leaves: paths never index them). */
  function applyChange(state, change) {
    let cur = state;
    const path = change.path;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i];
      if (typeof cur[k] !== 'object' || cur[k] === null || Array.isArray(cur[k])) cur[k] = {};
      cur = cur[k];
    }
    const last = path[path.length - 1];
    if (change.removed) delete cur[last];
    else cur[last] = change.value;
  }

  class FeedClient {
    /**
     * @param {object} o  url: wss URL of /feed; onState(state, why); onStatus(status, detail);
     *                    checkSession(): Promise<boolean> (false: logged out, stop)
     */
    constructor(o) {
      this.o = o;
      this.ws = null;
      this.state = null;
      this.epoch = null;
      this.seq = 0;
      this.hbMs = 15000;
      this.attempt = 0;
      this.timer = null;
      this.watchdog = null;
      this.stopped = false;
      this.lastMessageAt = 0;
    }

    start() {
      this.stopped = false;
      this.connect();
    }

    stop() {
      this.stopped = true;
      clearTimeout(this.timer);
      clearTimeout(this.watchdog);
      if (this.ws) this.ws.close(1000, 'bye');
      this.ws = null;
    }

    connect() {
      const resume = this.epoch ? '?resume=' + encodeURIComponent(this.epoch + '.' + this.seq) : '';
      const ws = new WebSocket(this.o.url + resume);
      this.ws = ws;
      ws.onmessage = (ev) => this.onMessage(ev.data);
      ws.onclose = (ev) => {
        if (this.ws !== ws) return;
        this.ws = null;
        clearTimeout(this.watchdog);
        this.lost(ev.code === 4001 ? 'session ended' : 'connection closed (' + ev.code + ')');
      };
      ws.onerror = () => undefined; // onclose follows
    }

    lost(detail) {
      if (this.stopped) return;
      const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, this.attempt)) * (0.75 + Math.random() * 0.5);
      this.attempt += 1;
      this.o.onStatus('lost', detail + '; reconnecting in ' + (wait / 1000).toFixed(1) + ' s');
      this.timer = setTimeout(async () => {
        if (this.stopped) return;
        let loggedIn = true;
        try { loggedIn = await this.o.checkSession(); } catch (e) { loggedIn = true; } // unreachable: keep trying
        if (!loggedIn) { this.stopped = true; this.o.onStatus('logged-out', 'session ended'); return; }
        this.o.onStatus('connecting', 'reconnecting');
        this.connect();
      }, wait);
    }

    /** No message for 2.5 heartbeats: the connection is dead even if TCP has not noticed. */
    arm() {
      this.lastMessageAt = Date.now();
      clearTimeout(this.watchdog);
      this.watchdog = setTimeout(() => {
        if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); this.lost('no heartbeat for ' + Math.round(2.5 * this.hbMs / 1000) + ' s'); }
      }, 2.5 * this.hbMs);
    }

    /** Start over from a snapshot (a gap we cannot explain). */
    restart(why) {
      this.epoch = null;
      if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); }
      this.lost(why);
    }

    onMessage(text) {
      let m;
      try { m = JSON.parse(text); } catch (e) { return; }
      this.arm();
      switch (m.t) {
        case 'snapshot':
          this.state = m.state; this.epoch = m.epoch; this.seq = m.seq; this.hbMs = m.hbMs || this.hbMs;
          this.attempt = 0;
          this.arm();
          this.o.onStatus('live', 'snapshot');
          this.o.onState(this.state, 'snapshot');
          return;
        case 'resumed':
          if (m.epoch !== this.epoch || m.from !== this.seq || !this.state) return this.restart('resume mismatch');
          this.hbMs = m.hbMs || this.hbMs;
          this.attempt = 0;
          this.o.onStatus('live', 'resumed');
          return;
        case 'delta':
          if (!this.state || m.seq !== this.seq + 1) return this.restart('sequence gap');
          for (const c of m.changes) applyChange(this.state, c);
          this.seq = m.seq;
          this.o.onState(this.state, 'delta');
          return;
        case 'hb':
          if (m.seq !== this.seq) this.restart('missed changes');
          return;
        default:
          return;
      }
    }
  }

  window.LbosFeed = { FeedClient, applyChange };
})();
