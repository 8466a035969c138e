/**
 * auto_sync's eyes: fs.watch on the directories of the registered files
 * (editors replace files by rename, which a watch on the file itself would
 * lose), filtered to the registered names, debounced. The periodic check
 * still runs, so a missed event only delays a sync.
 */
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../runtime/log';

export function watchFiles(files: readonly string[], debounceMs: number, onChange: () => void, log: Logger): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    const set = byDir.get(dir) ?? new Set<string>();
    set.add(path.basename(f));
    byDir.set(dir, set);
  }
  let timer: NodeJS.Timeout | null = null;
  const poke = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) poke();
      });
      w.on('error', (err) => log.warn({ dir, err: err.message }, 'watch failed; the periodic check still notices changes'));
      watchers.push(w);
    } catch (err) {
      log.warn({ dir, err: err instanceof Error ? err.message : String(err) }, 'cannot watch; the periodic check still notices changes');
    }
  }
  return () => {
    if (timer !== null) clearTimeout(timer);
    watchers.forEach((w) => w.close());
  };
}
