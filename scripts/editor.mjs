// `npm start`, `npm run package`, `npm run test:electron`: bundles editor/src/main.ts to
// dist/editor.js (and the electron suite to dist/electron-suite.js) with scripts/build.mjs
// and runs it with this script's arguments.
import { createRequire } from 'node:module';
import { buildBundles } from './build.mjs';

await buildBundles(['editor', 'electron-suite']);

createRequire(import.meta.url)('../dist/editor.js');
