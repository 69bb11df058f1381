// Bundles src/form.jsx into dist/roster-form.js: one static, minified script
// that `roster serve` embeds and the browser tests load.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/form.jsx'],
  outfile: 'dist/roster-form.js',
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  logLevel: 'warning',
});
