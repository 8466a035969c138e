/**
 * paird: pairs this unit with another in one step (issue 20), and is the
 * other unit's side of it. Wiring only: options -> LocalUnit + PeerClient
 * -> pairing.ts -> D-Bus object -> run.
 *   paird [--node N] [--ha-dir D] [--csyncd-cfg F] [--csyncd-dir D] [--serial DEV]... [--systemd-bus A]
 */
import { connectSystemBus } from '../runtime/dbus';
import { AppError } from '../runtime/errors';
import { runService, type RunningService, type ServiceContext } from '../runtime/service';
import { DEFAULTS, pairdConfigFrom, type PairdConfig } from './config';
import { IDLE, type PairingProgress } from './core/progress';
import { decodeCommit, decodePairCommand, decodePrepare, decodeState } from './core/requests';
import { decodeSettings } from './core/heartbeat-settings';
import { LocalUnit } from './adapters/local-unit';
import { PeerClient, probeCertificate } from './adapters/peer-client';
import { exportPaird } from './adapters/dbus-api';
import { pair, type PeerSide } from './pairing';

/** How long pairing waits for every medium to come up (initdead of the written ha.cf is 30 s). */
const WAIT_MS = 90_000;

function peerSide(client: PeerClient): PeerSide {
  return {
    login: (password) => client.login(password),
    offer: () => client.call('GET', '/api/pair/offer'),
    prepare: (r) => client.call('POST', '/api/pair/prepare', r),
    commit: (r) => client.call('POST', '/api/pair/commit', r),
    state: async () => {
      const s = decodeState(await client.call('GET', '/api/pair/state'));
      if (!s.ok) throw new AppError('PEER_BAD_ANSWER', `the peer's state: ${s.message}`);
      return s.value;
    },
    unpair: () => client.call('POST', '/api/pair/unpair'),
  };
}

async function start(ctx: ServiceContext<PairdConfig>): Promise<RunningService<PairdConfig>> {
  const { config: c, log, bus } = ctx;
  const systemdBus = c.systemdBus === null ? bus : await connectSystemBus(c.systemdBus);
  const local = new LocalUnit(c, bus, systemdBus, log.child({ mod: 'unit' }));
  let progress: PairingProgress = IDLE;
  let running: Promise<unknown> | null = null;
  // One change of this unit's files at a time (prepare, commit, unpair, a pairing).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(f, f);
    queue = next.catch(() => undefined);
    return next;
  };
  const pairedProps = async (): Promise<{ Paired: boolean; Peer: string }> => {
    const peer = await local.pairedWith();
    return { Paired: peer !== null, Peer: peer ?? '' };
  };
  const exported = exportPaird(bus, { ...(await pairedProps()), Pairing: JSON.stringify(progress) }, {
    offer: () => local.offer(),
    probe: async (address) => {
      if (typeof address !== 'string' || address.length > 64) throw new AppError('INVALID_ARGUMENT', 'expected an address');
      return probeCertificate(address, c.peerPort).then((cert) => ({ fingerprint: cert.fingerprint, subject: cert.subject }));
    },
    pair: async (v) => {
      const cmd = decodePairCommand(v);
      if (!cmd.ok) throw new AppError('INVALID_ARGUMENT', cmd.message);
      if (running !== null) throw new AppError('PAIRING_RUNNING', 'a pairing is already running');
      const { peer, password, fingerprint, ...options } = cmd.value;
      running = serial(() => pair({ peer, password, options, fingerprint }, {
        local: { offer: () => local.offer(), prepare: (r) => local.prepare(r), commit: (r) => local.commit(r), state: () => local.state(), unpair: () => local.unpair() },
        connect: async () => peerSide(await PeerClient.connect(peer, c.peerPort, fingerprint)),
        ownFingerprint: async (address) => (await probeCertificate(address, c.peerPort)).fingerprint,
        log, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), waitMs: WAIT_MS,
        onProgress: (p) => {
          progress = p;
          if (p.state === 'running') return exported.update({ Pairing: JSON.stringify(p) });
          // The outcome and Paired in one change: a page never shows "paired" next to "not paired".
          pairedProps().then((pp) => exported.update({ ...pp, Pairing: JSON.stringify(p) }), (err: unknown) => {
            log.warn({ err }, 'cannot read the pairing state');
            exported.update({ Pairing: JSON.stringify(p) });
          });
        },
      })).finally(async () => {
        running = null;
        exported.update(await pairedProps());
      });
      return { started: true };
    },
    prepare: (v) => serial(async () => {
      const r = decodePrepare(v);
      if (!r.ok) throw new AppError('INVALID_ARGUMENT', r.message);
      return local.prepare(r.value);
    }),
    commit: (v) => serial(async () => {
      const r = decodeCommit(v);
      if (!r.ok) throw new AppError('INVALID_ARGUMENT', r.message);
      const done = await local.commit(r.value);
      exported.update(await pairedProps());
      return { done };
    }),
    state: () => local.state(),
    unpair: () => serial(async () => {
      const moved = await local.unpair();
      exported.update(await pairedProps());
      return { moved };
    }),
    heartbeat: () => local.heartbeat(),
    setHeartbeat: (v) => serial(async () => {
      const r = decodeSettings(v);
      if (!r.ok) throw new AppError('INVALID_ARGUMENT', r.message);
      return local.setHeartbeat(r.value);
    }),
    unpairBoth: (v) => serial(async () => {
      const o = v as { password?: unknown } | null;
      if (typeof o?.password !== 'string' || o.password === '' || o.password.length > 256) throw new AppError('INVALID_ARGUMENT', "expected {\"password\"}: the peer's admin password");
      const web = await local.peerWeb();
      if (web === null) throw new AppError('NO_PEER_KNOWN', 'this unit does not know where its peer is (not paired by paird, or unpaired already): unpair each unit on its own');
      const client = await PeerClient.connect(web.address, c.peerPort, web.fingerprint);
      await client.login(o.password);
      const theirs = await client.call('POST', '/api/pair/unpair', {});
      const moved = await local.unpair();
      exported.update(await pairedProps());
      log.info({ audit: 'unpair', peer: web.address, result: 'ok' }, 'unpaired both units');
      return { peer: web.address, peerMoved: Array.isArray(theirs.moved) ? theirs.moved : [], moved };
    }),
  });
  return {
    reload: async () => undefined,
    stop: async () => {
      await running?.catch(() => undefined);
      if (systemdBus !== bus) systemdBus.disconnect();
    },
    dump: () => ({ progress }),
  };
}

void runService<PairdConfig>({
  name: 'paird',
  summary: 'Pairs this unit with another in one step (HA page, hactl pair), and is the peer\'s side of it.\nWrites ha.cf, haresources, authkeys and csyncd.cfg, checked by hbd and csyncd, and starts them.',
  options: {
    node: { type: 'string' },
    'ha-dir': { type: 'string' },
    'csyncd-cfg': { type: 'string' },
    'csyncd-dir': { type: 'string' },
    'csyncd-state-dir': { type: 'string' },
    serial: { type: 'string', multiple: true },
    'bin-dir': { type: 'string' },
    'systemd-bus': { type: 'string' },
    'peer-port': { type: 'string' },
    'state-dir': { type: 'string' },
  },
  optionsHelp: [
    "      --node NAME          this unit's node name (default: the hostname, as hbd)",
    `      --ha-dir DIR         hbd's files (default ${DEFAULTS.haDir})`,
    `      --csyncd-cfg FILE    (default ${DEFAULTS.csyncdCfg}); --csyncd-dir DIR its keys (default ${DEFAULTS.csyncdDir})`,
    '      --csyncd-state-dir D csyncd\'s state_dir when not its default',
    '      --serial DEV         a heartbeat serial port of this model (repeatable); offered when it exists',
    `      --bin-dir DIR        hbd, csyncd, csyncctl (default ${DEFAULTS.binDir})`,
    '      --systemd-bus ADDR   bus of org.freedesktop.systemd1 (default: the system bus)',
    `      --peer-port N        the peer's web UI port (default ${DEFAULTS.peerPort}); --state-dir DIR (default ${DEFAULTS.stateDir})`,
  ],
  loadConfig: async (cli) => ({ config: pairdConfigFrom(cli), warnings: [] }),
  start,
  stopDeadlineMs: 5000,
});
