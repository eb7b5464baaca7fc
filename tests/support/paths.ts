import path from 'node:path';

/** The checkout: tests run from dist/tests/..., three levels below it. */
export const APP_ROOT = path.resolve(__dirname, '..', '..', '..');
