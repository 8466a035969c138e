/** `simkit clean`: remove namespaces and processes left by dead simulations. */
import { cleanLeftovers } from './registry';

const n = cleanLeftovers();
if (n > 0) process.stdout.write(`simkit: removed ${n} leftover simulation resource set(s)\n`);
