import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import type { Logger } from './invoke';
import { createCoreApi, FunctionRegistry, installCoreApi } from './registry';

/** Expands `{a,b}` alternatives and `*`/`**` the way the Functions host reads package.json `main`. */
export function resolveMain(appRoot: string, main: string): string[] {
  const expanded = expandBraces(main.replace(/\\/g, '/'));
  const files = new Set<string>();
  for (const pattern of expanded) {
    if (!/[*?]/.test(pattern)) {
      files.add(path.resolve(appRoot, pattern));
      continue;
    }
    const fixed = pattern.slice(0, pattern.search(/[*?]/)).replace(/[^/]*$/, '');
    const regex = globToRegExp(pattern);
    for (const file of walk(path.resolve(appRoot, fixed))) {
      const rel = path.relative(appRoot, file).split(path.sep).join('/');
      if (regex.test(rel)) files.add(file);
    }
  }
  return [...files].sort();
}

function expandBraces(pattern: string): string[] {
  const match = /\{([^{}]*)\}/.exec(pattern);
  if (!match) return [pattern];
  const [whole, inner = ''] = match;
  return inner.split(',').flatMap((alt) => expandBraces(pattern.replace(whole, alt)));
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/**
 * Loads the compiled app exactly as deployed: the entry points named by package.json `main`,
 * with `@azure/functions-core` answered by this runtime so every registration is captured.
 */
export function loadApp(appRoot: string, log: Logger): FunctionRegistry {
  const pkg = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { main?: string };
  if (!pkg.main) throw new Error('package.json has no "main" naming the function entry points');
  const files = resolveMain(appRoot, pkg.main);
  if (files.length === 0)
    throw new Error(`package.json main "${pkg.main}" matches no files; run npm run build first`);
  const registry = new FunctionRegistry();
  installCoreApi(createCoreApi(registry, log));
  // The host loads entry points with require(); so must we, after the core API is in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of files) require(file);
  return registry;
}
