import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  applySecondOpinion,
  type ClassificationSignals,
  parseAnswer,
  promptFor,
  redact,
  secondOpinionWanted,
} from '../../../src/domain/assistant';
import { CircuitBreaker } from '../../../src/domain/circuitBreaker';
import {
  type Classification,
  classificationSignals,
  classifyTicket,
} from '../../../src/domain/classification';

const unsure: Classification = {
  category: 'software_error',
  priority: 'P2',
  confidence: 0.45,
  route: 'escalate',
  tier: 2,
  reasons: ['urgency words', 'confidence 0.45 below threshold 0.6'],
};
const plain: ClassificationSignals = { screened: false, decisive: false, modelLabel: 'software_error' };

describe('assistant: redaction (what leaves the app)', () => {
  it('masks typed passwords and codes and replaces addresses and names with placeholders', () => {
    const text =
      'From Sam Lee <sam@acme.example>, cc kim@acme.example and boss@elsewhere.example: password: Hunter2!x, code 123456. Thanks, Sam';
    const out = redact(text, { addresses: ['SAM@acme.example', 'kim@acme.example'], names: ['Sam Lee'] });
    assert.equal(
      out,
      'From <person> <<requester>>, cc <participant-1> and <address>: password: [password removed], code [code removed]. Thanks, <person>',
    );
  });

  it('redacts every string of the input, and the instructions carry no ticket data', () => {
    const messages = promptFor({
      use: 'briefing',
      clientId: 'acme',
      key: 'k',
      input: {
        subject: 'VPN',
        body: 'my pin is 4821',
        reason: 'r',
        attempted: null,
        requesterAnswer: 'no',
        conversation: [{ from: 'sam@acme.example', text: 'password "abc123def" still fails' }],
      },
      people: { addresses: ['sam@acme.example'] },
    });
    const all = JSON.stringify(messages);
    for (const leak of ['4821', 'abc123def', 'sam@acme.example']) assert.ok(!all.includes(leak), leak);
    assert.doesNotMatch(messages[0]?.content ?? '', /VPN/);
  });
});

describe('assistant: answers', () => {
  it('takes only a JSON object of the use’s shape', () => {
    assert.deepEqual(parseAnswer('reply', '{"answer":"new_issue"}'), { answer: 'new_issue' });
    assert.equal(parseAnswer('reply', '{"answer":"maybe"}'), undefined);
    assert.equal(parseAnswer('reply', 'yes'), undefined);
    assert.equal(parseAnswer('reply', null), undefined);
    assert.equal(parseAnswer('briefing', '{"summary":"","steps":[]}'), undefined);
    assert.deepEqual(parseAnswer('kb_draft', '{"title":"T","steps":["a"],"tags":["x"]}'), {
      title: 'T',
      steps: ['a'],
      tags: ['x'],
    });
  });
});

describe('assistant: second opinion', () => {
  it('is wanted below the threshold or when model and rules disagree, never for a screened ticket', () => {
    assert.match(secondOpinionWanted(unsure, plain, 0.6) ?? '', /below threshold/);
    const sure = { ...unsure, confidence: 0.9 };
    assert.equal(secondOpinionWanted(sure, plain, 0.6), undefined);
    assert.match(
      secondOpinionWanted(sure, { ...plain, rulesLabel: 'printer_peripheral' }, 0.6) ?? '',
      /disagree/,
    );
    assert.equal(secondOpinionWanted(unsure, { screened: true, decisive: false }, 0.6), undefined);
  });

  it('an answer at or above the threshold decides the category and route, never the priority', () => {
    const { classification, record } = applySecondOpinion(
      unsure,
      plain,
      { category: 'printer_peripheral', confidence: 0.8, reason: 'the scanner' },
      0.6,
      'below threshold',
    );
    assert.equal(classification.category, 'printer_peripheral');
    assert.equal(classification.route, 'auto');
    assert.equal(classification.tier, 1);
    assert.equal(classification.priority, 'P2');
    assert.equal(record.decidedBy, 'llm');
    assert.match(
      record.reasons.at(-1) ?? '',
      /second opinion: printer_peripheral \(0\.80\): the scanner; taken/,
    );
  });

  it('an unsure answer or none leaves the classification as it was, saying so', () => {
    const low = applySecondOpinion(
      unsure,
      plain,
      { category: 'printer_peripheral', confidence: 0.5, reason: '' },
      0.6,
      'w',
    );
    assert.deepEqual(low.classification, unsure);
    assert.equal(low.record.decidedBy, 'model');
    const none = applySecondOpinion(unsure, { screened: false, decisive: false }, undefined, 0.6, 'w');
    assert.deepEqual(none.classification, unsure);
    assert.equal(none.record.decidedBy, 'rules');
    assert.match(none.record.reasons.at(-1) ?? '', /none available/);
  });

  it('an engineering answer escalates at tier 2 at least', () => {
    const { classification } = applySecondOpinion(
      { ...unsure, route: 'auto', tier: 1, category: 'software_access', confidence: 0.61 },
      plain,
      { category: 'engineering', confidence: 0.9, reason: '' },
      0.6,
      'w',
    );
    assert.deepEqual([classification.route, classification.tier], ['escalate', 2]);
  });

  it('the safety screen outranks any answer: a flagged ticket keeps route, tier, category and priority', () => {
    const subject = 'All our files are encrypted';
    const body = 'A ransom note asks for bitcoin. Please reset my password.';
    const screened = classifyTicket(subject, body, 0.6);
    const signals = classificationSignals(subject, body);
    assert.equal(signals.screened, true);
    const { classification, record } = applySecondOpinion(
      screened,
      signals,
      { category: 'password_reset', confidence: 1, reason: 'the user asks for a reset' },
      0.6,
      'w',
    );
    assert.deepEqual(
      [classification.category, classification.route, classification.tier, classification.priority],
      ['engineering', 'escalate', 3, 'P1'],
    );
    assert.equal(record.decidedBy, 'rules');
  });
});

describe('circuit breaker', () => {
  it('opens after the failures in a row, half-opens for one trial after openMs, and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failures: 2, openMs: 1000 }, () => now);
    breaker.failure();
    assert.equal(breaker.allow(), true);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.allow(), false);
    now = 1000;
    assert.equal(breaker.state, 'half_open');
    assert.equal(breaker.allow(), true);
    assert.equal(breaker.allow(), false, 'one trial at a time');
    breaker.success();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.allow(), true);
  });

  it('a success between failures resets the count', () => {
    const breaker = new CircuitBreaker({ failures: 2, openMs: 1000 }, () => 0);
    breaker.failure();
    breaker.success();
    breaker.failure();
    assert.equal(breaker.state, 'closed');
  });
});
