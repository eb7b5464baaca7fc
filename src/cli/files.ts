import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

import { parse } from 'csv-parse/sync';

export class CliError extends Error {}

const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export function readInput(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`${file}: no such file`);
  }
  if (size > MAX_INPUT_BYTES) throw new CliError(`${file}: larger than ${MAX_INPUT_BYTES / 1048576} MB`);
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') throw new CliError(`${file}: the file is empty`);
  return text;
}

export interface LabelledRow {
  line: number;
  text: string;
  label: string;
  record: Record<string, string>;
}

/** A CSV with a header row; `textColumns` may name several columns (joined by a newline). */
export function readLabelledCsv(
  file: string,
  textColumns: string[],
  labelColumn: string,
  maxTextChars = 100_000,
): LabelledRow[] {
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(readInput(file), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = err as { lines?: number; message?: string };
    throw new CliError(`${file}${e.lines ? `: line ${e.lines}` : ''}: ${e.message ?? 'not valid CSV'}`);
  }
  if (records.length === 0) throw new CliError(`${file}: no data rows under the header`);
  const header = Object.keys(records[0] ?? {});
  for (const c of [...textColumns, labelColumn])
    if (!header.includes(c)) throw new CliError(`${file}: no column "${c}" (columns: ${header.join(', ')})`);
  return records.map((record, i) => {
    const line = i + 2;
    const text = textColumns.map((c) => record[c] ?? '').join('\n');
    const label = (record[labelColumn] ?? '').trim();
    if (!label) throw new CliError(`${file}: line ${line}: empty "${labelColumn}"`);
    if (text.length > maxTextChars)
      throw new CliError(`${file}: line ${line}: text is longer than ${maxTextChars} characters`);
    return { line, text, label, record };
  });
}

/** Writes a whole file or nothing: a temporary file renamed into place at the end. */
export function writeAtomically(file: string, content: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
