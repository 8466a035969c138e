// Integration tests: real namespaces, dbus-daemon, socat ptys. Need root (CI runs as root).
// Serial: each file builds its own simulated pair, and two pairs at once fight for 2 cores.
export default {
  files: ['dist/**/*.itest.js'],
  timeout: '180s',
  workerThreads: false,
  serial: true,
  concurrency: 1,
};
