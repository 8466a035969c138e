/**
 * What a configuration archive may hold: the allow-list. Every path is an
 * appliance path (absolute, without the --root prefix). A restore writes
 * nothing else; a path that is neither here nor a file the archive's own
 * services.conf names for a synced service (within SYNCED_FILE_RULES) is
 * refused.
 */

/** What `--only` selects; `keys` is only in archives made with --with-keys. */
export const CATEGORIES = ['network', 'ha', 'sync', 'users', 'keys'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The service whose own check validates a file before a restore writes it. */
export type Owner = 'nicd' | 'statusd' | 'paneld' | 'hbd' | 'csyncd' | 'synced';

export interface CatalogEntry {
  path: string;
  category: Category;
  owner: Owner;
  /** Readable by its owner only (the services refuse anything laxer). */
  secret: boolean;
}

export const SERVICES_CONF = '/etc/csyncd/services.conf';
export const CSYNCD_CFG = '/etc/csyncd/csyncd.cfg';
export const CSYNCD_DIR = '/etc/csyncd';
export const HA_DIR = '/etc/ha.d';
export const AUTHKEYS = '/etc/ha.d/authkeys';
export const NETWORK_CONF = '/etc/lbos/network.conf';
export const STATUSD_CONF = '/etc/lbos/statusd.conf';
export const PANELD_CONF = '/etc/lbos/paneld.conf';
export const STATUSD_STATE = '/var/lib/lbos/statusd';
export const USERS_FILE = '/var/lib/lbos/statusd/users';
/** statusd's first-start password: stale once a restored users file replaces admin's hash. */
export const INITIAL_PASSWORD_FILE = '/var/lib/lbos/statusd/initial-password';

const e = (path: string, category: Category, owner: Owner, secret = false): CatalogEntry => ({ path, category, owner, secret });

/** The fixed files, in archive order. */
export const FIXED_ENTRIES: readonly CatalogEntry[] = [
  e(NETWORK_CONF, 'network', 'nicd'),
  e(STATUSD_CONF, 'network', 'statusd'),
  e(PANELD_CONF, 'network', 'paneld'),
  e('/etc/ha.d/ha.cf', 'ha', 'hbd'),
  e('/etc/ha.d/haresources', 'ha', 'hbd'),
  e(CSYNCD_CFG, 'sync', 'csyncd'),
  e(SERVICES_CONF, 'sync', 'csyncd'),
  e(USERS_FILE, 'users', 'statusd', true),
  // Secrets and the pinned keys: only with --with-keys (services/csyncd/adapters/key-files.ts names them).
  e(AUTHKEYS, 'keys', 'hbd', true),
  e('/etc/csyncd/host_key', 'keys', 'csyncd', true),
  e('/etc/csyncd/host_key.pub', 'keys', 'csyncd'),
  e('/etc/csyncd/user_key', 'keys', 'csyncd', true),
  e('/etc/csyncd/user_key.pub', 'keys', 'csyncd'),
  e('/etc/csyncd/ssh_known_hosts', 'keys', 'csyncd'),
  e('/etc/csyncd/csyncd_authorized', 'keys', 'csyncd', true),
  e('/etc/csyncd/accounts', 'keys', 'csyncd', true),
  e('/var/lib/lbos/statusd/tls/key.pem', 'keys', 'statusd', true),
  e('/var/lib/lbos/statusd/tls/cert.pem', 'keys', 'statusd'),
];

const FIXED_BY_PATH = new Map(FIXED_ENTRIES.map((x) => [x.path, x]));

export function fixedEntry(path: string): CatalogEntry | undefined {
  return FIXED_BY_PATH.get(path);
}

/**
 * Where a synced service's file may be: under /etc, outside the directories
 * whose files have their own category (and their own check), and never a
 * file that decides who may log in or what runs at boot. services.conf is
 * archive content: without these rules a crafted one could name /etc/shadow.
 */
export const SYNCED_FILE_ROOT = '/etc/';
export const SYNCED_FILE_FORBIDDEN: readonly string[] = [
  '/etc/ha.d/', '/etc/csyncd/', '/etc/lbos/', '/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow',
  '/etc/sudoers', '/etc/ssh/', '/etc/pam.d/', '/etc/security/', '/etc/systemd/', '/etc/dbus-1/', '/etc/polkit-1/',
  '/etc/cron', '/etc/ld.so', '/etc/profile', '/etc/environment', '/etc/fstab', '/etc/crypttab', '/etc/hostname',
  '/etc/hosts', '/etc/resolv.conf', '/etc/sysctl', '/etc/modprobe.d/', '/etc/modules', '/etc/default/', '/etc/init.d/',
  '/etc/rc', '/etc/apt/', '/etc/shells', '/etc/login.defs', '/etc/subuid', '/etc/subgid', '/etc/sysusers.d/',
];

/** Why a synced-service file path is not acceptable, or null. */
export function syncedPathProblem(path: string): string | null {
  if (!path.startsWith(SYNCED_FILE_ROOT)) return `a synced service's file must be under ${SYNCED_FILE_ROOT}`;
  const hit = SYNCED_FILE_FORBIDDEN.find((p) => path.startsWith(p));
  return hit === undefined ? null : `a synced service may not own ${path} (under ${hit}: not restorable as a synced file)`;
}

/** `--only a,b` -> categories, or the unknown words. */
export function parseOnly(text: string): { ok: true; categories: Set<Category> } | { ok: false; unknown: string[] } {
  const words = text.split(',').map((w) => w.trim()).filter((w) => w !== '');
  const unknown = words.filter((w) => !(CATEGORIES as readonly string[]).includes(w));
  if (unknown.length > 0 || words.length === 0) return { ok: false, unknown: words.length === 0 ? [''] : unknown };
  return { ok: true, categories: new Set(words as Category[]) };
}
