#!/usr/bin/env node
/**
 * The autotier command:
 *   autotier kb import --dir D | kb export --dir D [--client C] | kb candidates --client C [--min-count 3] [--draft --out DIR]
 *     (--draft: the optional assistant drafts each candidate as an article file for review; nothing is imported)
 *     (the knowledge base of the deployment named by AzureWebJobsStorage and AUTOTIER_TABLE_PREFIX)
 *   autotier audit --in export.csv --text-column C[,C2] [--threshold 0.6] [--success-rate 0.8] [--model F]
 *   autotier triage --in tickets.jsonl [--out results.jsonl] [--model F] [--threshold 0.6]
 *   autotier classifier train --data F.csv --text-column C[,C2] --label-column L [--split-column S] [--out model.bin.gz] [--seed N] [--skip-window N] [--publish]
 *     (--publish uploads the model as the next version in AzureWebJobsStorage; the app loads it on start)
 *   autotier classifier evaluate --data F.csv --text-column C[,C2] --label-column L [--test-fraction 0.2 | --split-column S | --folds K | --model F] [--seed N] [--skip-window N] [--full [--threshold 0.6] [--priority-column P] [--dangerous-column D]]
 *     (--full: labels are autotier categories; reports the model alone and the whole classifier, {model, full})
 *   autotier classifier tune --data F.csv --text-column C[,C2] --label-column L [--precision 0.95] [--model F] [--client C [--force]]
 *     (the lowest automation threshold that keeps automation that precise on the client's history; --client saves it,
 *      but not below 0.5 if that lowers the live one, unless --force)
 *   train, evaluate and tune take [--label-map map.json [--drop-unmapped]] for labels that are not categories
 *   autotier intake replay [--queue Q] [--max N]
 *     (moves messages from the intake poison queue back onto the intake queue after a fix)
 *   autotier actions --client C [--since DATE] [--out F]
 *     (the audit log: every action playbooks took on the client's users and licences, as JSON lines)
 *   autotier report --client C [--from DATE] [--to DATE] [--format json|csv|html] [--out F]
 *     (the client's outcome metrics: JSON as GET /api/metrics answers, CSV by week and category,
 *     or one HTML file with charts to send the client; the last 30 days unless told)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { auditedActions } from './actionsCommand';
import { audit, formatAudit } from './audit';
import {
  applyThreshold,
  evaluateCommand,
  loadModelFile,
  publishModel,
  trainCommand,
  tuneCommand,
} from './classifierCommands';
import { CliError, writeAtomically } from './files';
import { replayPoison } from './intakeCommands';
import { kbCandidatesFor, kbDraftsFor, kbExport, kbImport } from './kbCommands';
import { defaultToLocalStorage, failureLine } from './localStorage';
import { reportCommand } from './reportCommand';
import { triage, writeJsonLines } from './triage';

export const BUILTIN_MODEL = path.resolve(__dirname, '..', '..', 'models', 'builtin.bin.gz');

const USAGE = `usage:
  autotier kb import --dir D | kb export --dir D [--client C] | kb candidates --client C [--min-count 3] [--out F] [--draft --out DIR]
  autotier audit --in export.csv --text-column C[,C2] [--threshold 0.6] [--success-rate 0.8] [--model F]
  autotier triage --in tickets.jsonl [--out results.jsonl] [--model F] [--threshold 0.6]
  autotier classifier train --data F.csv --text-column C --label-column L [--split-column S] [--out model.bin.gz] [--seed N] [--skip-window N]
  autotier classifier evaluate --data F.csv --text-column C --label-column L [--test-fraction 0.2 | --split-column S | --folds K | --model F] [--seed N] [--skip-window N]
      [--full [--threshold 0.6] [--priority-column P] [--dangerous-column D]]
  autotier classifier tune --data F.csv --text-column C --label-column L [--precision 0.95] [--model F] [--client C [--force]]
    (train, evaluate and tune: [--label-map map.json [--drop-unmapped]])
  autotier intake replay [--queue Q] [--max N]
  autotier actions --client C [--since DATE] [--out F]
  autotier report --client C [--from DATE] [--to DATE] [--format json|csv|html] [--out F]`;

const SWITCHES = new Set(['--publish', '--full', '--drop-unmapped', '--force', '--draft']);

function parseFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (!a.startsWith('--')) throw new CliError(`unexpected argument "${a}"\n${USAGE}`);
    if (SWITCHES.has(a)) {
      flags[a.slice(2)] = 'true';
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliError(`${a} needs a value`);
    flags[a.slice(2)] = value;
    i++;
  }
  return flags;
}

/** "1-3, 7" for lines 1, 2, 3 and 7; the first 20 runs at most. */
function summariseLines(lines: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === (lines[j] ?? 0) + 1) j++;
    runs.push(i === j ? `line ${lines[i]}` : `lines ${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return runs.length > 20 ? `${runs.slice(0, 20).join(', ')}, ...` : runs.join(', ');
}

function dataFlags(flags: Record<string, string>) {
  return {
    data: need(flags, 'data'),
    textColumn: need(flags, 'text-column'),
    labelColumn: need(flags, 'label-column'),
    splitColumn: flags['split-column'],
    labelMap: flags['label-map'],
    dropUnmapped: flags['drop-unmapped'] === 'true',
  };
}

function need(flags: Record<string, string>, name: string): string {
  const v = flags[name];
  if (!v) throw new CliError(`--${name} is required\n${USAGE}`);
  return v;
}

function number(flags: Record<string, string>, name: string, fallback: number): number {
  if (flags[name] === undefined) return fallback;
  const v = Number(flags[name]);
  if (!Number.isFinite(v)) throw new CliError(`--${name} must be a number`);
  return v;
}

function optionalNumber(flags: Record<string, string>, name: string): number | undefined {
  return flags[name] === undefined ? undefined : number(flags, name, 0);
}

/** The commands that read or write the deployment's storage (tune and train only with --client, --publish). */
const usesStorage = (argv: string[]) =>
  ['kb', 'actions', 'intake', 'report'].includes(argv[0] ?? '') ||
  (argv[0] === 'classifier' && (argv.includes('--client') || argv.includes('--publish')));

export async function run(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (usesStorage(argv)) defaultToLocalStorage();
  if (command === 'triage') {
    const flags = parseFlags([sub ?? '', ...rest].filter(Boolean));
    const modelFile = flags.model ?? (existsSync(BUILTIN_MODEL) ? BUILTIN_MODEL : undefined);
    const { results, numbered } = triage(
      need(flags, 'in'),
      modelFile ? loadModelFile(modelFile) : undefined,
      number(flags, 'threshold', 0.6),
    );
    if (numbered.length)
      console.error(
        `${numbered.length} ticket${numbered.length === 1 ? ' has' : 's have'} no id: numbered by line (${summariseLines(numbered)})`,
      );
    writeJsonLines(flags.out, results);
    if (flags.out) console.error(`triaged ${results.length} tickets into ${flags.out}`);
    return 0;
  }
  if (command === 'kb' && (sub === 'import' || sub === 'export' || sub === 'candidates')) {
    const flags = parseFlags(rest);
    if (sub === 'import') console.error(await kbImport(need(flags, 'dir')));
    else if (sub === 'export') console.error(await kbExport(need(flags, 'dir'), flags.client));
    else if (flags.draft !== undefined)
      console.error(
        await kbDraftsFor(need(flags, 'client'), number(flags, 'min-count', 3), need(flags, 'out')),
      );
    else
      writeJsonLines(flags.out, await kbCandidatesFor(need(flags, 'client'), number(flags, 'min-count', 3)));
    return 0;
  }
  if (command === 'actions') {
    const flags = parseFlags([sub ?? '', ...rest].filter(Boolean));
    writeJsonLines(flags.out, await auditedActions(need(flags, 'client'), flags.since));
    return 0;
  }
  if (command === 'report') {
    const flags = parseFlags([sub ?? '', ...rest].filter(Boolean));
    const text = await reportCommand({
      client: need(flags, 'client'),
      from: flags.from,
      to: flags.to,
      format: flags.format ?? 'json',
    });
    if (flags.out) {
      writeAtomically(flags.out, text);
      console.error(`wrote the ${flags.format ?? 'json'} report to ${flags.out}`);
    } else process.stdout.write(text);
    return 0;
  }
  if (command === 'audit') {
    const flags = parseFlags([sub ?? '', ...rest].filter(Boolean));
    const modelFile = flags.model ?? (existsSync(BUILTIN_MODEL) ? BUILTIN_MODEL : undefined);
    const result = audit(
      need(flags, 'in'),
      need(flags, 'text-column')
        .split(',')
        .map((c) => c.trim()),
      modelFile ? loadModelFile(modelFile) : undefined,
      {
        threshold: number(flags, 'threshold', 0.6),
        successRate: number(flags, 'success-rate', 0.8),
      },
    );
    console.log(formatAudit(result));
    return 0;
  }
  if (command === 'classifier' && sub === 'tune') {
    const flags = parseFlags(rest);
    const precision = number(flags, 'precision', 0.95);
    if (precision <= 0 || precision > 1) throw new CliError('--precision must be above 0 and at most 1');
    const modelFile = flags.model ?? (existsSync(BUILTIN_MODEL) ? BUILTIN_MODEL : undefined);
    const choice = tuneCommand({
      ...dataFlags(flags),
      precision,
      model: modelFile ? loadModelFile(modelFile) : undefined,
    });
    console.log(JSON.stringify(choice));
    if (!choice.met) {
      console.error(`no threshold reaches precision ${precision} on this data; nothing saved`);
      return 1;
    }
    if (flags.client) {
      const change = await applyThreshold(flags.client, choice.threshold, { force: flags.force === 'true' });
      console.error(change.message);
      if (!change.save) return 1;
    }
    return 0;
  }
  if (command === 'classifier' && (sub === 'train' || sub === 'evaluate')) {
    const flags = parseFlags(rest);
    const data = dataFlags(flags);
    if (sub === 'train') {
      const result = trainCommand({
        ...data,
        out: flags.out ?? 'model.bin.gz',
        seed: number(flags, 'seed', 42),
        skipWindow: optionalNumber(flags, 'skip-window'),
      });
      console.error(
        `trained on ${result.n} rows (${result.labels.join(', ')}) in ${result.trainMs} ms -> ${result.out}`,
      );
      if (flags.publish)
        console.error(await publishModel(result.model, result.labels, path.basename(data.data)));
    } else {
      const ways = ['test-fraction', 'split-column', 'folds', 'model'].filter((f) => flags[f] !== undefined);
      if (ways.length > 1)
        throw new CliError(`choose one of --${ways.join(', --')}: each names what the model is measured on`);
      console.log(
        JSON.stringify(
          evaluateCommand({
            ...data,
            testFraction: number(flags, 'test-fraction', 0.2),
            seed: number(flags, 'seed', 42),
            skipWindow: optionalNumber(flags, 'skip-window'),
            folds: optionalNumber(flags, 'folds'),
            full: flags.full === 'true',
            priorityColumn: flags['priority-column'],
            dangerousColumn: flags['dangerous-column'],
            threshold: number(flags, 'threshold', 0.6),
            model: flags.model ? loadModelFile(flags.model) : undefined,
          }),
        ),
      );
    }
    return 0;
  }
  if (command === 'intake' && sub === 'replay') {
    const flags = parseFlags(rest);
    const n = await replayPoison({
      queue: flags.queue,
      max: flags.max === undefined ? undefined : number(flags, 'max', 0),
    });
    console.error(`moved ${n} message${n === 1 ? '' : 's'} from the poison queue back for another try`);
    return 0;
  }
  throw new CliError(USAGE);
}

/** Runs the command line and sets the exit code: 0, 1 for a failure, 2 for a wrong command line. */
export function main(argv: string[]): void {
  run(argv).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      if (err instanceof CliError) {
        console.error(`autotier: ${err.message}`);
        process.exitCode = 2;
      } else {
        // One line that says what to do, never a stack trace.
        console.error(`autotier: ${failureLine(err)}`);
        process.exitCode = 1;
      }
    },
  );
}

if (require.main === module) main(process.argv.slice(2));
