/** `simkit clean`: remove namespaces and processes left by dead simulations. */
import { cleanLeftovers } from './registry';
import { errorMessage } from '../../services/runtime/errors';

try {
  const n = cleanLeftovers();
  if (n > 0) process.stdout.write(`simkit: removed ${n} leftover simulation resource set(s)\n`);
} catch (err) {
  process.stderr.write(`simkit clean: ${errorMessage(err)}\n`);
  process.exitCode = 1;
}
