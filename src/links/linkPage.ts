import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/** Text into HTML element content or a double-quoted attribute value. */
export const escapeText = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Links from mails are opened in a browser: browsers get a page, API clients JSON. */
export const wantsHtml = (req: HttpRequest) => (req.headers.get('accept') ?? '').includes('text/html');

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5}' +
  'h1{font-size:1.4rem}button{font:inherit;font-size:1.1rem;padding:.7rem 1.4rem;border-radius:.4rem;border:1px solid #1b5e9e;background:#1b5e9e;color:#fff;cursor:pointer}' +
  'button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0a500;outline-offset:2px}';

/**
 * The small page behind a link in a mail: plain, readable on a phone, kept out of search engines
 * and caches. `body` is HTML the caller has escaped.
 */
export function linkPage(status: number, title: string, body: string, extraStyle = ''): HttpResponseInit {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body:
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeText(title)}</title>` +
      `<style>${STYLE}${extraStyle}</style></head><body><main><h1>${escapeText(title)}</h1>${body}</main></body></html>`,
  };
}
