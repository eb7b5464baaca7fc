import { createHash } from 'node:crypto';

import type { HttpResponseInit } from '@azure/functions';

/** Text into HTML element content or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Inline style and script are allowed by their hash, so the policy needs no 'unsafe-inline'. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface Page {
  title: string;
  /** Trusted HTML, built with escapeHtml around everything that came from outside. */
  body: string;
  style: string;
  script?: string;
}

export function contentSecurityPolicy(page: Pick<Page, 'style' | 'script'>): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(page.style)}`,
    `script-src ${page.script ? sha256(page.script) : "'none'"}`,
    // The metrics figures come from this app's own /api/metrics.
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function htmlPage(page: Page): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
    `<title>${escapeHtml(page.title)}</title><style>${page.style}</style></head>` +
    `<body>${page.body}${page.script ? `<script>${page.script}</script>` : ''}</body></html>`
  );
}

/** An operator's page: never cached, never framed, never sent as a referrer. */
export function htmlResponse(status: number, page: Page): HttpResponseInit {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(page),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    },
    body: htmlPage(page),
  };
}
