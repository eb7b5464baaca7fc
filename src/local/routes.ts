export interface CompiledRoute {
  matches(path: string): Record<string, string> | undefined;
}

/** Functions route templates: `tickets/{ticketId}`, optional `{id?}`, constraints `{id:int}`, catch-all `{*rest}`. */
export function compileRoute(template: string): CompiledRoute {
  const names: string[] = [];
  const segments = template
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .filter(Boolean);
  let re = '^';
  for (const segment of segments) {
    const param = /^\{(\*)?([A-Za-z0-9_]+)(?::([a-z]+))?(\?)?\}$/.exec(segment);
    if (!param) {
      re += `/${segment.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')}`;
      continue;
    }
    const [, catchAll, name = '', constraint, optional] = param;
    names.push(name);
    const value = catchAll
      ? '(.*)'
      : constraint === 'int'
        ? '(-?\\d+)'
        : constraint === 'guid'
          ? '([0-9a-fA-F-]{36})'
          : '([^/]+)';
    re += optional || catchAll ? `(?:/${value})?` : `/${value}`;
  }
  const regex = new RegExp(`${re}/?$`, 'i');
  return {
    matches(path: string) {
      const m = regex.exec(path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      names.forEach((n, i) => {
        const v = m[i + 1];
        if (v !== undefined) params[n] = decodeURIComponent(v);
      });
      return params;
    },
  };
}
