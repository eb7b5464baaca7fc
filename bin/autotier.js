#!/usr/bin/env node
// The package's `autotier` command (`npx autotier ...`): runs the compiled CLI. It is a file of its
// own, kept in git with its exec bit, because every build rewrites dist/ and tsc writes files
// without one ("Permission denied").
'use strict';
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'src', 'cli', 'autotier.js');
let main;
try {
  ({ main } = require(cli));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(cli)) {
    console.error('autotier: not built yet — run `npm run build` first');
    process.exit(1);
  }
  throw err;
}
main(process.argv.slice(2));
