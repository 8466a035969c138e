// Bundles the appliance's programs (rootfs/lib/app.sh, bundle_programs):
//   node bundle.mjs OUTBASE OUTDIR EXTERNALS(comma-separated) ENTRY...
// esbuild as on its command line, with one redirect: dbus-next's
// `require('xml2js')` gets services/runtime/lazy-xml2js (compiled), which
// loads xml2js at its first use instead of at every service start.
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const [outbase, outdir, externals, ...entryPoints] = process.argv.slice(2);
if (!outbase || !outdir || externals === undefined || entryPoints.length === 0) {
  console.error('usage: node bundle.mjs OUTBASE OUTDIR EXTERNALS ENTRY...');
  process.exit(64);
}
const lazyXml2js = path.join(outbase, 'services', 'runtime', 'lazy-xml2js.js');
const redirect = {
  name: 'lazy-xml2js',
  setup(build) {
    build.onResolve({ filter: /^xml2js$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}dbus-next${path.sep}`) ? { path: lazyXml2js } : undefined);
  },
};
try {
  await esbuild.build({
    entryPoints, outbase, outdir, bundle: true, platform: 'node', target: 'node24', allowOverwrite: true,
    logLevel: 'warning', external: externals.split(',').filter((e) => e !== ''), plugins: [redirect],
  });
} catch {
  process.exit(1); // esbuild has printed the errors
}
