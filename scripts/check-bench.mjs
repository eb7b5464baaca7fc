// CI's bench smoke: the last line of `npm run bench` must be the JSON summary with every figure
// the README and the cost-and-speed issue report. Usage: node scripts/check-bench.mjs bench.out
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/check-bench.mjs <bench output file>');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
const last = lines.at(-1) ?? '';
let summary;
try {
  summary = JSON.parse(last);
} catch {
  console.error(`bench: the last line is not JSON: ${last.slice(0, 200)}`);
  process.exit(1);
}
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const checks = {
  ackP95Ms: isNumber,
  ackUnderLoadP95Ms: isNumber,
  endToEndTicketsPerSec: isNumber,
  endToEndTicketsPerSecByRound: (v) => Array.isArray(v) && v.length >= 1 && v.every(isNumber),
  storageRequestsPerTicket: (v) => isNumber(v) && v > 0,
  storageRequestsByKind: (v) => v && typeof v === 'object' && Object.values(v).every(isNumber),
  idleStorageRequestsPerHour: isNumber,
  costPerClientMonthUsd: (v) => isNumber(v) && v > 0,
  warmStartMs: (v) => isNumber(v) && v > 0,
};
const bad = Object.entries(checks).filter(([key, ok]) => !ok(summary[key]));
if (bad.length) {
  console.error(`bench: missing or malformed figures: ${bad.map(([k]) => `${k}=${JSON.stringify(summary[k])}`).join(', ')}`);
  process.exit(1);
}
console.log(`bench summary ok: ${Object.keys(checks).map((k) => `${k}=${JSON.stringify(summary[k])}`).join(' ')}`);
