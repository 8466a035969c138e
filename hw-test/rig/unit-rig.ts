/**
 * On a unit (HW=real) the harness makes only namespaces, one per port of a
 * cable while its traffic test runs, recorded with the simulation kit's
 * registry before they are made. Deleting a namespace hands a physical port
 * back to the root namespace (without its test address); the exit handler
 * and the next run's cleanup do the same after a crash.
 */
import { randomBytes } from 'node:crypto';
import { run, tryRunSync } from '../../scripts/sim/exec';
import { cleanLeftovers, destroyRecord, saveRecord, SIM_PREFIX, type SimRecord } from '../../scripts/sim/registry';

export class UnitRig {
  private readonly rec: SimRecord;
  private torn = false;
  private readonly onExit = (): void => this.teardown();

  constructor() {
    cleanLeftovers();
    const id = randomBytes(3).toString('hex');
    // dir is required by the record; nothing is written there.
    this.rec = { id, ownerPid: process.pid, dir: `/tmp/${SIM_PREFIX}${id}`, namespaces: [], pids: [] };
    process.on('exit', this.onExit);
  }

  async makeNamespace(port: string): Promise<string> {
    const ns = `${SIM_PREFIX}${this.rec.id}-${port}`;
    this.rec.namespaces.push(ns);
    saveRecord(this.rec);
    await run('ip', ['netns', 'add', ns]);
    return ns;
  }

  async dropNamespace(ns: string): Promise<void> {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    this.rec.namespaces = this.rec.namespaces.filter((n) => n !== ns);
    saveRecord(this.rec);
  }

  teardown(): void {
    if (this.torn) return;
    this.torn = true;
    process.removeListener('exit', this.onExit);
    for (const ns of this.rec.namespaces) tryRunSync('ip', ['netns', 'del', ns]);
    destroyRecord(this.rec);
  }
}
