import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import { GraphDirectory } from '../../../src/adapters/graph/graphDirectory';
import { TableAuditLog } from '../../../src/adapters/tables/tableAuditLog';
import { type AccessProduct, type ClientProfile, DEMO_CLIENT } from '../../../src/domain/client';
import type { KbArticle } from '../../../src/domain/kb';
import type { MailMessage } from '../../../src/domain/messages';
import type { PlaybookOutcome } from '../../../src/domain/playbook';
import { newTicket, type Ticket } from '../../../src/domain/ticket';
import {
  type EmulatedUser,
  type GraphEmulatorServer,
  startGraphEmulator,
} from '../../../src/local/graphEmulator';
import { type PlaybookContext, playbookFor } from '../../../src/playbooks';
import { GRAPH_TEST_TOKEN, graphTestCredential } from '../../support/graphCredential';
import { freshTable } from '../../support/storage';

const VISIO = { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT' };
const AT = '2026-03-02T10:00:05.000Z';

const PRODUCTS: AccessProduct[] = [
  { product: 'Visio', aliases: ['visio plan 2'], sku: 'VISIOCLIENT', monthlyCost: 12, selfService: true },
  {
    product: 'Adobe Acrobat',
    aliases: ['acrobat'],
    groupId: 'g-acrobat',
    monthlyCost: 15,
    selfService: true,
  },
  { product: 'Power BI Pro', sku: 'POWER_BI_PRO', monthlyCost: 9, selfService: false },
  { product: 'AutoCAD', groupId: 'g-autocad', monthlyCost: 185, selfService: true },
];

const CLIENT: ClientProfile = {
  ...DEMO_CLIENT,
  directory: { tenantId: '11111111-2222-3333-4444-555555555555', appId: 'app-1', credential: 'none' },
  access: { approvalAboveMonthlyCost: 50, products: PRODUCTS },
};

function article(over: Partial<KbArticle> & Pick<KbArticle, 'articleId' | 'category' | 'title'>): KbArticle {
  return {
    clientId: 'demo',
    steps: ['Step one.', 'Step two.'],
    tags: [],
    images: [],
    uses: 0,
    successes: 0,
    updatedAt: AT,
    ...over,
  };
}

const ARTICLES: KbArticle[] = [
  article({
    articleId: 'sspr',
    category: 'password_reset',
    title: 'Reset your password yourself',
    tags: ['password'],
  }),
  article({
    articleId: 'hp-m404',
    category: 'printer_peripheral',
    title: 'HP LaserJet Pro M404 offline',
    variant: { printerModel: 'HP LaserJet Pro M404' },
    images: ['demo/hp-m404/panel.png'],
  }),
  article({
    articleId: 'brother',
    category: 'printer_peripheral',
    title: 'Brother HL-L2350DW offline',
    variant: { printerModel: 'Brother HL-L2350DW' },
  }),
  article({
    articleId: 'forticlient',
    category: 'vpn_remote_access',
    title: 'FortiClient will not connect',
    variant: { vpnProduct: 'FortiClient' },
  }),
  article({
    articleId: 'outlook-crash',
    category: 'software_error',
    title: 'When Outlook keeps crashing',
    tags: ['outlook', 'crash', 'error'],
  }),
];

describe('playbooks against a server speaking Microsoft Graph, with the audit log in Azurite', () => {
  let graph: GraphEmulatorServer;
  let audit: TableAuditLog;
  let mails: { mail: MailMessage; key: string }[];
  let sam: EmulatedUser;

  before(async () => {
    graph = await startGraphEmulator({ token: GRAPH_TEST_TOKEN });
  });
  after(() => graph.close());
  beforeEach(async () => {
    graph.users.clear();
    graph.skus.clear();
    graph.groups.clear();
    graph.passes.clear();
    graph.requests.length = 0;
    audit = new TableAuditLog(await freshTable('audit'));
    mails = [];
    sam = graph.addUser({
      userPrincipalName: 'sam@demo.example',
      mail: 'sam@demo.example',
      displayName: 'Sam Lee',
      usageLocation: 'GB',
      officeLocation: 'Riverside',
      registration: { isSsprRegistered: true, isSsprEnabled: true, isMfaRegistered: true },
      emailMethods: ['sam.home@example.org'],
    });
  });

  const ticket = (subject: string, body = '', email = 'sam@demo.example'): Ticket => ({
    ...newTicket(
      'T-1001',
      { clientId: 'demo', requester: { name: 'Sam Lee', email }, subject, body, channel: 'email' },
      new Date(AT),
    ),
    category: undefined,
  });

  const run = async (
    category: Parameters<typeof playbookFor>[0],
    t: Ticket,
    options: { client?: ClientProfile; directory?: GraphDirectory | null; step?: string } = {},
  ): Promise<PlaybookOutcome> => {
    const directory =
      options.directory === null
        ? undefined
        : (options.directory ??
          new GraphDirectory({ credential: graphTestCredential, baseUrl: graph.url, timeoutMs: 1000 }));
    const ctx: PlaybookContext = {
      ticket: t,
      client: options.client ?? CLIENT,
      step: options.step ?? 'playbook-1',
      at: AT,
      articles: ARTICLES,
      directory,
      audit,
      actor: 'autotier (app app-1)',
      sendMail: (mail, key) => {
        if (!mails.some((m) => m.key === key)) mails.push({ mail, key });
        return Promise.resolve();
      },
    };
    return playbookFor(category)!.run(ctx);
  };

  const escalation = (o: PlaybookOutcome) => {
    assert.equal(o.kind, 'escalate', JSON.stringify(o));
    return o;
  };
  const guide = (o: PlaybookOutcome) => {
    assert.equal(o.kind, 'guide', JSON.stringify(o));
    return o;
  };

  describe('password_reset', () => {
    it('sends the self-service reset steps to a user registered for it, and changes nothing', async () => {
      const o = guide(await run('password_reset', ticket('Forgot my password')));
      assert.equal(o.guide.articleId, 'sspr');
      assert.deepEqual(o.actions, []);
      assert.match(o.findings.join(' '), /Self-service reset registered; MFA registered/);
      assert.equal(graph.passes.size, 0);
      assert.deepEqual(mails, []);
    });

    it('sends a Temporary Access Pass only to the verified address, once, and audits it', async () => {
      sam.registration = { isSsprRegistered: false, isSsprEnabled: true, isMfaRegistered: true };
      const first = guide(await run('password_reset', ticket('Forgot my password')));
      const pass = graph.passes.get(sam.id)?.pass ?? '';
      assert.ok(pass);
      assert.equal(mails.length, 1);
      assert.equal(mails[0]?.mail.to, 'sam.home@example.org');
      assert.ok(mails[0]?.mail.text.includes(pass));
      assert.match(first.guide.intro ?? '', /s\*\*\*@example\.org/);
      // The pass appears nowhere but that one mail.
      const records = await audit.forClient('demo');
      assert.equal(records.length, 1);
      for (const text of [JSON.stringify(first), JSON.stringify(records)]) assert.ok(!text.includes(pass));
      assert.deepEqual(
        { ...records[0], at: undefined },
        {
          clientId: 'demo',
          ticketId: 'T-1001',
          step: 'playbook-1-pass',
          at: undefined,
          actor: 'autotier (app app-1)',
          requestedBy: 'sam@demo.example',
          action: 'temporary_access_pass',
          target: 'sam@demo.example',
          detail:
            'one-time pass valid 60 minutes, sent to s***@example.org (a verified authentication email)',
          reason:
            'Password help requested in T-1001 ("Forgot my password"); the sender matches the user, who is registered for MFA but not for self-service reset.',
          outcome: 'done',
        },
      );
      // A retried activity finds the audit record and neither replaces the pass nor mails again.
      guide(await run('password_reset', ticket('Forgot my password')));
      assert.equal(graph.passes.get(sam.id)?.pass, pass);
      assert.equal(mails.length, 1);
      assert.equal(graph.requests.filter((r) => r.path.endsWith('temporaryAccessPassMethods')).length, 1);
    });

    it('never sends a pass to the address the request came from', async () => {
      sam.registration = { isSsprRegistered: false, isSsprEnabled: false, isMfaRegistered: true };
      sam.emailMethods = ['sam@demo.example'];
      const o = escalation(await run('password_reset', ticket('Forgot my password')));
      assert.match(o.reason, /no verified contact email/);
      assert.equal(graph.passes.size, 0);
    });

    it('escalates a requester whose address matches no user', async () => {
      const o = escalation(
        await run('password_reset', ticket('Forgot my password', '', 'stranger@demo.example')),
      );
      assert.match(o.reason, /matches no single user/);
      assert.match(o.told, /couldn't match your email address/);
    });

    it('escalates a user registered for neither MFA nor self-service reset', async () => {
      sam.registration = { isSsprRegistered: false, isSsprEnabled: false, isMfaRegistered: false };
      const o = escalation(await run('password_reset', ticket('Forgot my password')));
      assert.match(o.reason, /not registered for MFA/);
      assert.match(o.findings.join(' '), /MFA not registered/);
      assert.equal(graph.passes.size, 0);
    });

    it('hands an on-premises lockout to an engineer with the account details', async () => {
      Object.assign(sam, {
        onPremisesSyncEnabled: true,
        onPremisesDomainName: 'demo.local',
        onPremisesSamAccountName: 'slee',
      });
      const o = escalation(await run('password_reset', ticket('Locked out', 'My account is locked out')));
      assert.match(o.reason, /demo\.local\\slee.*on-premises Active Directory.*locked out/);
      // Without password writeback even a forgotten password is an engineer's job.
      const forgot = escalation(await run('password_reset', ticket('Forgot my password')));
      assert.match(forgot.reason, /password writeback is off/);
      const withWriteback = { ...CLIENT, directory: { ...CLIENT.directory!, passwordWriteback: true } };
      guide(await run('password_reset', ticket('Forgot my password'), { client: withWriteback }));
    });

    it('escalates a disabled account', async () => {
      sam.accountEnabled = false;
      assert.match(escalation(await run('password_reset', ticket('Forgot my password'))).reason, /disabled/);
    });

    it('without a directory connection sends the self-service steps and says nothing was checked', async () => {
      const o = guide(await run('password_reset', ticket('Forgot my password'), { directory: null }));
      assert.equal(o.guide.articleId, 'sspr');
      assert.match(o.findings[0] ?? '', /no directory connection/);
      assert.equal(graph.requests.length, 0);
    });
  });

  describe('software_access', () => {
    beforeEach(() => {
      graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 10, consumed: 9 });
      graph.groups.set('g-acrobat', new Set());
    });

    it('assigns a free licence, audits it and tells the requester', async () => {
      const o = guide(await run('software_access', ticket('Need Visio', 'Can I get Visio Plan 2 please?')));
      assert.deepEqual(graph.users.get(sam.id)?.assignedLicenses, [{ skuId: VISIO.skuId }]);
      assert.match(o.guide.intro ?? '', /given your account access to Visio/);
      assert.deepEqual(o.actions, [
        { action: 'licence_assigned', target: 'sam@demo.example', detail: `VISIOCLIENT (${VISIO.skuId})` },
      ]);
      const [record] = await audit.forClient('demo');
      assert.equal(record?.action, 'licence_assigned');
      assert.equal(record?.outcome, 'done');
      assert.match(record?.reason ?? '', /Access to Visio requested in T-1001.*within the approval limit/);
    });

    it('reports a licence the user already has without assigning again', async () => {
      sam.assignedLicenses = [{ skuId: VISIO.skuId }];
      const o = guide(await run('software_access', ticket('Visio', 'Visio says I have no licence')));
      assert.match(o.guide.intro ?? '', /already has Visio/);
      assert.equal(graph.requests.filter((r) => r.path.endsWith('assignLicense')).length, 0);
    });

    it('escalates when no seat is free', async () => {
      graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 10, consumed: 10 });
      const o = escalation(await run('software_access', ticket('Need Visio')));
      assert.match(o.reason, /no free Visio licence \(VISIOCLIENT: 10 of 10 in use\)/);
      assert.match(o.told, /licences are in use/);
      assert.equal(graph.requests.filter((r) => r.path.endsWith('assignLicense')).length, 0);
    });

    it('escalates a product that is not self-service, costs too much, or is not in the catalogue', async () => {
      assert.match(
        escalation(await run('software_access', ticket('Power BI Pro licence please'))).reason,
        /not on the client's self-service list/,
      );
      assert.match(
        escalation(await run('software_access', ticket('I need AutoCAD'))).reason,
        /costs 185 a month per user, above the client's approval limit of 50/,
      );
      assert.match(
        escalation(await run('software_access', ticket('Please install Photoshop'))).reason,
        /names no product in the client's catalogue/,
      );
      assert.equal(graph.requests.length, 0, 'refused before touching the directory');
    });

    it('adds the user to the group that grants an app, once', async () => {
      const o = guide(await run('software_access', ticket('Acrobat access', 'I need Acrobat to sign PDFs')));
      assert.ok(graph.groups.get('g-acrobat')?.has(sam.id));
      assert.equal(o.actions.length, 1);
      const again = guide(await run('software_access', ticket('Acrobat access'), { step: 'playbook-2' }));
      assert.deepEqual(again.actions, []);
      assert.match(again.guide.intro ?? '', /already has Adobe Acrobat/);
    });

    it('escalates an unknown requester before granting anything', async () => {
      const o = escalation(await run('software_access', ticket('Need Visio', '', 'stranger@demo.example')));
      assert.match(o.reason, /matches no single user/);
      assert.equal(graph.skus.get(VISIO.skuId)?.consumed, 9);
    });

    it('records a refused assignment as failed in the audit log and escalates with what Graph said', async () => {
      delete sam.usageLocation;
      const o = escalation(await run('software_access', ticket('Need Visio')));
      assert.match(o.reason, /refused to assign the licence.*usage location/);
      const [record] = await audit.forClient('demo');
      assert.equal(record?.outcome, 'failed');
      assert.match(record?.detail ?? '', /usage location/);
    });
  });

  describe('Graph failures end in an escalation that says why', () => {
    const impatient = () =>
      new GraphDirectory({
        credential: graphTestCredential,
        baseUrl: graph.url,
        timeoutMs: 300,
        maxRetries: 1,
      });

    it('throttling with Retry-After', async () => {
      graph.fail({ status: 429, retryAfter: '1' }, { status: 429, retryAfter: '1' });
      const o = escalation(
        await run('password_reset', ticket('Forgot my password'), { directory: impatient() }),
      );
      assert.match(o.reason, /throttling requests \(find the user\); it asked to wait 1 s/);
      assert.match(o.told, /couldn't finish this automatically/);
    });

    it('a server error', async () => {
      graph.fail({ status: 503 }, { status: 503 });
      graph.skus.set(VISIO.skuId, { ...VISIO, enabled: 10, consumed: 0 });
      const o = escalation(await run('software_access', ticket('Need Visio'), { directory: impatient() }));
      assert.match(o.reason, /Microsoft Graph answered 503/);
    });

    it('a timeout, after the checks that did succeed', async () => {
      graph.fail({ hangMs: 2000, path: /userRegistrationDetails/ });
      const o = escalation(
        await run('password_reset', ticket('Forgot my password'), { directory: impatient() }),
      );
      assert.match(o.reason, /did not answer in time \(read the sign-in registration\)/);
      assert.match(o.findings.join(' '), /matches the requester's address/);
    });
  });

  describe('guides', () => {
    it("sends the guide for the printer at the requester's site (Entra ID office location)", async () => {
      const o = guide(await run('printer_peripheral', ticket('Printer offline')));
      assert.equal(o.guide.articleId, 'brother');
      sam.officeLocation = 'Main Street';
      const main = guide(await run('printer_peripheral', ticket('Printer offline')));
      assert.equal(main.guide.articleId, 'hp-m404');
      assert.deepEqual(main.guide.images, ['demo/hp-m404/panel.png']);
    });

    it("prefers the client's own list of user sites", async () => {
      const client = {
        ...CLIENT,
        systemProfile: { ...CLIENT.systemProfile, userSites: { 'sam@demo.example': 'Main Street' } },
      };
      const o = guide(await run('printer_peripheral', ticket('Printer offline'), { client }));
      assert.equal(o.guide.articleId, 'hp-m404');
    });

    it("sends the guide for the client's VPN product", async () => {
      assert.equal(
        guide(await run('vpn_remote_access', ticket('VPN will not connect'))).guide.articleId,
        'forticlient',
      );
    });

    it('sends the documented fix for a known error, and escalates an error nobody documented', async () => {
      const known = guide(
        await run('software_error', ticket('Outlook keeps crashing', 'It closes on start')),
      );
      assert.equal(known.guide.articleId, 'outlook-crash');
      const unknown = escalation(
        await run('software_error', ticket('Sage 50 error', 'It shows error 0x80070005')),
      );
      assert.match(unknown.reason, /no documented fix/);
    });
  });
});
