// Unit tests: pure logic, no root, no plumbing. Compiled by tsc first (make build).
export default {
  files: ['dist/**/*.test.js', '!dist/**/*.itest.js'],
  timeout: '60s',
  // Native addons (unix-dgram, serialport) are not safe in worker threads.
  workerThreads: false,
  concurrency: 2,
};
