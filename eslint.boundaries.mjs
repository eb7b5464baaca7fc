// @ts-check
/**
 * The architecture's boundaries, as lint rules (eslint.config.mjs spreads them in;
 * tests/unit/lint/boundaries.test.ts proves each one fires on a small bad snippet).
 * Data flows one way: trigger -> use case or orchestration -> activities -> ports -> adapters.
 */

const SDKS = ['@azure/*', 'durable-functions', '@microsoft/*', '@opentelemetry/*', 'mailparser', 'html-to-text', 'sanitize-html'];
const NODE_IO_MODULES = ['fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dns', 'dgram', 'child_process', 'worker_threads'];
// As patterns only with the node: scheme (a bare `http` pattern would match a folder of ours too);
// the bare names are matched exactly, through `paths`.
const NODE_IO = NODE_IO_MODULES.map((m) => `node:${m}`);
/** `paths` entries for the bare names of the I/O modules. */
const nodeIoPaths = (message) => NODE_IO_MODULES.map((name) => ({ name, message }));
const OUTWARD = ['**/adapters', '**/adapters/**', '**/composition', '**/composition/**', '**/functions/**', '**/cli/**', '**/local/**'];

/**
 * The only files that read process.env: config.ts (every setting, the platform's and those named at
 * run time: see NamedSettings there), and the start-up code that sets defaults before config reads
 * them (the local runtime, never deployed, and the CLI's fall-back to `npm start`'s storage).
 */
export const PROCESS_ENV_READERS = ['src/config.ts', 'src/local/**', 'src/cli/localStorage.ts'];

export default [
  {
    // Settings are parsed in one place, so a setting is named, defaulted and documented once.
    files: ['src/**/*.ts'],
    ignores: PROCESS_ENV_READERS,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Settings are parsed in src/config.ts (readConfig, or namedSettings for names known at run time).' },
      ],
    },
  },
  {
    // The domain is pure TypeScript: no SDK, no I/O, nothing from the layers around it.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: SDKS, message: 'The domain imports no SDK: put the call behind a port.' },
            { group: NODE_IO, message: 'The domain does no I/O: put it behind a port.' },
            { group: [...OUTWARD, '**/ports', '**/ports/**'], message: 'The domain never reaches outward.' },
          ],
          paths: nodeIoPaths('The domain does no I/O: put it behind a port.'),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='fetch']", message: 'The domain does no I/O: put it behind a port.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Settings are parsed in src/config.ts and passed in.' },
      ],
    },
  },
  {
    // Ports are interfaces and types. Error classes are part of a port's contract and may live here.
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: [...SDKS, ...NODE_IO, ...OUTWARD], message: 'Ports are types: they import no SDK and no adapter.' }],
          paths: nodeIoPaths('Ports are types: they do no I/O.'),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'FunctionDeclaration', message: 'Ports are types only: put behaviour in the domain or an adapter.' },
        { selector: 'Program > VariableDeclaration, ExportNamedDeclaration > VariableDeclaration', message: 'Ports are types only: put values in the domain.' },
        { selector: "ClassDeclaration:not([superClass.name='Error'])", message: 'Ports are types only: a class belongs in an adapter.' },
        { selector: 'TSEnumDeclaration', message: 'Ports are types only: use a union of string literals.' },
        { selector: "ImportDeclaration[importKind='value'] > ImportSpecifier[importKind='value']", message: 'Ports import types only (import type).' },
        { selector: "ImportDeclaration[importKind='value'] > ImportDefaultSpecifier, ImportDeclaration[importKind='value'] > ImportNamespaceSpecifier", message: 'Ports import types only (import type).' },
      ],
    },
  },
  {
    // Triggers only: registration, and handlers made from the composition root (withServices).
    files: ['src/functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters', '**/adapters/**'], message: 'Triggers take adapters from the composition root (src/composition), never build or import them.' },
            { group: ['**/cli', '**/cli/**'], message: 'src/functions must not import the CLI.' },
            { group: ['**/local', '**/local/**'], message: 'The local runtime is never deployed.' },
            { group: ['**/composition/*'], message: "Import the composition root's entry (src/composition), not its parts." },
            { group: SDKS.filter((s) => s !== 'durable-functions').concat('!@azure/functions'), message: 'Triggers use no SDK but @azure/functions and durable-functions (for registration).' },
            { group: NODE_IO, message: 'Triggers do no I/O of their own: call a use case or a port.' },
          ],
          paths: nodeIoPaths('Triggers do no I/O of their own: call a use case or a port.'),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='services']", message: 'Take the services once, through withServices, not as a service locator.' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Settings are parsed in src/config.ts.' },
      ],
    },
  },
  {
    // Orchestrators replay: they must not do I/O, read the clock or reach the composition root.
    files: ['src/functions/orchestrations/**/*.ts', 'src/workflow/ticket/**/*.ts', 'src/workflow/activityProxy.ts', 'src/workflow/eventInbox.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters', '**/adapters/**', '@azure/data-tables', '@azure/storage-queue', '@azure/storage-blob', '@azure/communication-email', '@azure/identity'], message: 'Orchestrators never do I/O: call an activity.' },
            { group: ['**/composition', '**/composition/**', '**/index'], message: 'Orchestrators import no composition root: activities get the adapters.' },
            { group: ['**/cli', '**/cli/**', '**/local', '**/local/**'], message: 'Orchestrators import neither the CLI nor the local runtime.' },
            { group: ['node:*', 'fs', 'http', 'https', 'crypto'], message: 'Orchestrators must stay deterministic.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Use context.df.currentUtcDateTime.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use context.df.currentUtcDateTime.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Orchestrators must be deterministic.' },
      ],
    },
  },
];
