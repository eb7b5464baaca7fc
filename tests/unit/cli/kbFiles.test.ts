import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatArticle, parseArticle } from '../../../src/cli/kbFiles';

const now = new Date('2026-03-02T10:00:00Z');
const good = `---
id: vpn-forticlient
client: demo
category: vpn_remote_access
title: Connecting with FortiClient
tags: [vpn]
variant: { vpnProduct: FortiClient }
images: [step-2.png]
---
Some words first.

1. Open FortiClient.
2) Sign in.
`;

describe('knowledge-base Markdown files', () => {
  it('parse front matter and numbered steps, and format back', () => {
    const { article, imageFiles } = parseArticle('/kb/vpn.md', good, now);
    assert.deepEqual(article.steps, ['Open FortiClient.', 'Sign in.']);
    assert.equal(article.clientId, 'demo');
    assert.deepEqual(article.variant, { vpnProduct: 'FortiClient' });
    assert.deepEqual(article.images, ['demo/vpn-forticlient/step-2.png']);
    assert.deepEqual(imageFiles, ['/kb/step-2.png']);
    const again = parseArticle('/kb/vpn.md', formatArticle(article), now).article;
    assert.deepEqual({ ...again, images: article.images }, article);
  });

  const bad: [string, string, RegExp][] = [
    ['no front matter', '1. step', /no front matter/],
    ['a bad category', good.replace('vpn_remote_access', 'fax'), /category "fax" is not one of/],
    ['no steps', good.replace(/1\. Open FortiClient\.\n2\) Sign in\.\n/, ''), /no numbered steps/],
    ['a bad id', good.replace('id: vpn-forticlient', 'id: Bad Id'), /id must be/],
    ['broken YAML', good.replace('tags: [vpn]', 'tags: [vpn'), /not valid YAML/],
  ];
  for (const [name, text, error] of bad)
    it(`refuse ${name}, naming the file`, () =>
      assert.throws(
        () => parseArticle('/kb/x.md', text, now),
        (e: Error) => e.message.startsWith('/kb/x.md: ') && error.test(e.message),
      ));
});
