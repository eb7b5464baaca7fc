import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { SETTINGS } from '../../../src/config';
import { APP_ROOT } from '../../support/paths';

const INFRA = path.join(APP_ROOT, 'infra');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) =>
    statSync(path.join(dir, f)).isDirectory() ? walk(path.join(dir, f)) : [path.join(dir, f)],
  );
const files = walk(INFRA).filter((f) => /\.(bicep|bicepparam)$/.test(f));
const read = (f: string) => readFileSync(f, 'utf8');
const rel = (f: string) => path.relative(APP_ROOT, f);

/** The body of each `resource ... 'Type@version' = {...}` declaration (brace-matched), skipping `existing` ones. */
function resources(text: string, type: string): string[] {
  const out: string[] = [];
  const re = new RegExp(
    `resource \\w+ '${type.replace(/[./]/g, '\\$&')}@[^']+'\\s*(existing\\s*)?=\\s*(if \\([^)]*\\)\\s*)?\\{`,
    'g',
  );
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) continue;
    let depth = 1;
    let i = re.lastIndex;
    for (; depth > 0 && i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    out.push(text.slice(re.lastIndex, i));
  }
  return out;
}
const all = (type: string) =>
  files.flatMap((f) => resources(read(f), type).map((body) => ({ file: rel(f), body })));

describe('infra/: secure by default', () => {
  it('has storage accounts, and none allows shared keys, public blobs or old TLS', () => {
    const accounts = all('Microsoft.Storage/storageAccounts');
    assert.ok(accounts.length >= 1);
    for (const { file, body } of accounts) {
      assert.match(body, /allowSharedKeyAccess: false/, `${file}: shared keys allowed`);
      assert.match(body, /allowBlobPublicAccess: false/, `${file}: public blobs`);
      assert.match(body, /minimumTlsVersion: 'TLS1_2'/, `${file}: TLS`);
    }
  });

  it('holds no secret in plain text', () => {
    const leaks = [
      /AccountKey=/i,
      /SharedAccessSignature/i,
      /listKeys\(/,
      /listConnectionStrings?\(/,
      /accesskey=/i,
      /password\s*[:=]\s*'[^']+'/i,
    ];
    for (const f of files)
      for (const re of leaks) assert.doesNotMatch(read(f), re, `${rel(f)} matches ${re}`);
    // In parameter files, nothing that looks like a secret is given a literal value.
    for (const f of files.filter((x) => x.endsWith('.bicepparam'))) {
      const text = read(f);
      for (const m of text.matchAll(/^param (\w+) = (.+)$/gm)) {
        if (!/secret|password|token|signingkey/i.test(m[1] ?? '')) continue;
        // An object of secrets: every member must come from the environment too.
        const values =
          m[2] === '{'
            ? [
                ...text
                  .slice((m.index ?? 0) + m[0].length)
                  .split(/^\}/m)[0]!
                  .matchAll(/^\s*\w+: (.+)$/gm),
              ].map((v) => v[1])
            : [m[2]];
        assert.ok(values.length > 0, `${rel(f)}: ${m[1]} is empty`);
        for (const v of values)
          assert.match(v ?? '', /^readEnvironmentVariable\(/, `${rel(f)}: ${m[1]} is given a literal`);
      }
    }
  });

  it('marks every secret-looking parameter @secure()', () => {
    for (const f of files.filter((x) => x.endsWith('.bicep'))) {
      const lines = read(f).split('\n');
      lines.forEach((line, i) => {
        const m = /^param (\w+) string/.exec(line);
        if (!m || !/secret|password|token|signingkey/i.test(m[1] ?? '') || /name$/i.test(m[1] ?? '')) return;
        const decorators = lines.slice(Math.max(0, i - 3), i).join('\n');
        assert.match(decorators, /@secure\(\)/, `${rel(f)}: param ${m[1]} is not @secure()`);
      });
    }
  });

  it('references every secret app setting through Key Vault', () => {
    const app = read(path.join(INFRA, 'modules', 'function-app.bicep'));
    const settings = [...app.matchAll(/\{ name: '([^']+)', value: ([^}]+) \}/g)].map((m) => ({
      name: m[1] ?? '',
      value: (m[2] ?? '').trim(),
    }));
    // AUTOTIER_OPENAI_DAILY_TOKENS is a budget (a count of tokens), not a secret.
    const secretish = settings.filter((s) => /SECRET|PASSWORD|TOKEN(?!S$)|SIGNING_KEY/.test(s.name));
    assert.ok(secretish.length >= 2);
    for (const s of secretish)
      assert.match(s.value, /kvRef\(/, `${s.name} does not use a Key Vault reference`);
    assert.match(
      app,
      /func kvRef\(vaultUri string, secret string\) string => '@Microsoft\.KeyVault\(SecretUri=\$\{vaultUri\}secrets\/\$\{secret\}\)'/,
    );
    assert.match(
      app,
      /keyVaultReferenceIdentity: identityId/,
      'Key Vault references resolve with the app identity',
    );
  });

  it('keeps the alert channels (signed Workflows URLs) in Key Vault, from the environment', () => {
    const app = read(path.join(INFRA, 'modules', 'function-app.bicep'));
    assert.match(
      app,
      /\{ name: 'AUTOTIER_NOTIFY', value: empty\(notifySecretName\) \? '' : kvRef\(keyVaultUri, notifySecretName\) \}/,
    );
    for (const file of [
      'main.bicep',
      path.join('modules', 'app.bicep'),
      path.join('modules', 'keyvault.bicep'),
    ])
      assert.match(
        read(path.join(INFRA, file)),
        /@secure\(\)\s*(@description\([^\n]*\)\s*)?param notifyChannels string/,
        file,
      );
    assert.match(
      read(path.join(INFRA, 'modules', 'keyvault.bicep')),
      /resource notifyKey 'Microsoft\.KeyVault\/vaults\/secrets@[^']+' = if \(!empty\(notifyChannels\)\)/,
    );
    for (const f of files.filter((x) => x.endsWith('.bicepparam')))
      for (const m of read(f).matchAll(/^param notifyChannels = (.+)$/gm))
        assert.match(
          m[1] ?? '',
          /^readEnvironmentVariable\(/,
          `${rel(f)}: notifyChannels is given a literal`,
        );
  });

  it('gives every resource that needs one an identity, and turns local auth off', () => {
    for (const { file, body } of all('Microsoft.Web/sites'))
      assert.match(body, /identity: \{\s*type: 'UserAssigned'/, `${file}: the Function App has no identity`);
    for (const { file, body } of all('Microsoft.KeyVault/vaults'))
      assert.match(body, /enableRbacAuthorization: true/, `${file}`);
    for (const { file, body } of all('Microsoft.Insights/components'))
      assert.match(body, /DisableLocalAuth: true/, `${file}`);
    for (const { file, body } of all('Microsoft.OperationalInsights/workspaces'))
      assert.match(body, /disableLocalAuth: true/, `${file}`);
    for (const { file, body } of all('Microsoft.Communication/communicationServices'))
      assert.match(body, /disableLocalAuth: true/, `${file}`);
    const app = read(path.join(INFRA, 'modules', 'function-app.bicep'));
    assert.match(
      app,
      /authentication: \{ type: 'UserAssignedIdentity'/,
      'the deployment container is read with the identity',
    );
    assert.match(app, /name: 'FC1'/);
    assert.match(app, /runtime: \{ name: 'node', version: '22' \}/);
  });

  it('declares every role assignment in roles.bicep, named by guid(scope, principal, role)', () => {
    const assignments = all('Microsoft.Authorization/roleAssignments');
    assert.ok(assignments.length >= 6);
    for (const { file, body } of assignments) {
      assert.equal(file, path.join('infra', 'modules', 'roles.bicep'));
      assert.match(body, /name: guid\(\w+\.id, principalId, roles\.\w+\)/);
    }
  });

  it('names the deployment outputs in UPPER_SNAKE', () => {
    const outputs = [...read(path.join(INFRA, 'main.bicep')).matchAll(/^output (\w+) /gm)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(outputs.length >= 4);
    for (const o of outputs) assert.match(o, /^[A-Z][A-Z0-9_]*$/);
  });
});

describe('infra/: app settings', () => {
  const functionApp = read(path.join(INFRA, 'modules', 'function-app.bicep'));
  const bicepSettings = new Set([
    ...[...functionApp.matchAll(/\{ name: '([^']+)', value:/g)].map((m) => m[1] ?? ''),
    // Settings applied once the site exists (they need its host name).
    ...[
      ...(/var hostNameSettings = \{([^}]*)\}/.exec(functionApp)?.[1] ?? '').matchAll(
        /\b([A-Z][A-Z0-9_]+):/g,
      ),
    ].map((m) => m[1] ?? ''),
  ]);

  it('sets every setting the code reads', () => {
    for (const name of Object.keys(SETTINGS)) {
      if (name === 'AzureWebJobsStorage') {
        for (const part of ['credential', 'clientId', 'blobServiceUri', 'queueServiceUri', 'tableServiceUri'])
          assert.ok(bicepSettings.has(`AzureWebJobsStorage__${part}`), `AzureWebJobsStorage__${part}`);
        continue;
      }
      assert.ok(bicepSettings.has(name), `the Bicep does not set ${name}`);
    }
  });

  it('sets nothing the code does not know', () => {
    const known = new Set([
      ...Object.keys(SETTINGS),
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      // Read by the Durable extension, not the app: the Durable Task Scheduler backend.
      'DURABLE_TASK_SCHEDULER_CONNECTION_STRING',
    ]);
    for (const name of bicepSettings)
      if (!name.startsWith('AzureWebJobsStorage__') && !name.startsWith('AzureFunctionsJobHost__'))
        assert.ok(known.has(name), `${name} is set but not read (add it to src/config.ts SETTINGS)`);
  });

  it('lists in SETTINGS every environment variable the deployed code reads', () => {
    const src = path.join(APP_ROOT, 'src');
    const deployed = walk(src).filter((f) => f.endsWith('.ts') && !f.includes(`${path.sep}local${path.sep}`));
    for (const f of deployed) {
      for (const m of read(f).matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g))
        assert.ok(m[1] && m[1] in SETTINGS, `${rel(f)} reads ${m[1]} which is not in SETTINGS`);
    }
  });
});

describe('infra/: deployment', () => {
  const main = read(path.join(INFRA, 'main.bicep'));
  const app = read(path.join(INFRA, 'modules', 'app.bicep'));
  const functionApp = read(path.join(INFRA, 'modules', 'function-app.bicep'));
  const communication = read(path.join(INFRA, 'modules', 'communication.bicep'));

  it('takes the public base URL from the host name Azure gave the app, not a guessed one', () => {
    assert.doesNotMatch(functionApp, /azurewebsites\.net/);
    assert.match(
      functionApp,
      /AUTOTIER_PUBLIC_BASE_URL: 'https:\/\/\$\{site\.properties\.defaultHostName\}'/,
    );
    assert.match(
      functionApp,
      /resource settings 'Microsoft\.Web\/sites\/config@[^']+' = \{\s*parent: site\s*name: 'appsettings'/,
    );
  });

  it('reads optional parameters with safe accessors', () => {
    for (const [file, text] of [
      ['function-app.bicep', functionApp],
      ['app.bicep', app],
    ] as const)
      for (const m of text.matchAll(/\b(psa|graph|directory|access)\.(\w+)\b(?!\.)/g))
        assert.fail(`${file}: ${m[0]} fails when the parameter leaves it out; use ${m[1]}.?${m[2]}`);
  });

  it('can take a new Key Vault name when a purged-protected one still holds the old', () => {
    assert.match(main, /param keyVaultGeneration int = 1/);
    assert.match(app, /uniqueString\(.*string\(keyVaultGeneration\)\)/);
    assert.match(app, /name: 'kv\$\{compactId\}\$\{vaultToken\}'/);
  });

  it('deploys a custom mail domain in two steps: created and its DNS records given, then linked', () => {
    assert.match(main, /param linkCustomEmailDomain bool = false/);
    assert.match(
      communication,
      /linkedDomains: sendFromCustom \? \[managedDomain\.id, customDomain\.id\] : \[managedDomain\.id\]/,
    );
    assert.match(
      communication,
      /output customDomainVerificationRecords object = useCustom \? customDomain!\.properties\.verificationRecords/,
    );
    assert.match(main, /output AUTOTIER_CUSTOM_EMAIL_DOMAIN_RECORDS object/);
  });

  it('delivers ACS delivery reports to the app through Event Grid, without a key, once the app exists', () => {
    const events = read(path.join(INFRA, 'modules', 'mail-events.bicep'));
    assert.match(events, /topicType: 'Microsoft\.Communication\.CommunicationServices'/);
    assert.match(events, /endpointType: 'AzureFunction'/);
    assert.match(events, /resourceId: '\$\{site\.id\}\/functions\/acsDeliveryReport'/);
    assert.match(events, /includedEventTypes: \['Microsoft\.Communication\.EmailDeliveryReportReceived'\]/);
    assert.match(main, /param mailDeliveryReports bool = false/);
    assert.match(
      app,
      /module mailEvents 'mail-events\.bicep' = if \(mailMode == 'acs' && mailDeliveryReports\)/,
    );
  });

  it('offers Graph sendMail beside ACS, and the Durable Task Scheduler beside Azure Storage', () => {
    assert.match(main, /@allowed\(\['acs', 'graph'\]\)\s*param mailMode string = 'acs'/);
    assert.match(functionApp, /\{ name: 'AUTOTIER_MAIL_MODE', value: mailMode \}/);
    assert.match(
      main,
      /@allowed\(\['azureStorage', 'durableTaskScheduler'\]\)\s*param durableBackend string = 'azureStorage'/,
    );
    const dts = read(path.join(INFRA, 'modules', 'durable-task-scheduler.bicep'));
    assert.match(dts, /resource scheduler 'Microsoft\.DurableTask\/schedulers@2025-11-01'/);
    assert.match(dts, /ipAllowlist: \['0\.0\.0\.0\/0'\]/);
    assert.match(dts, /resource taskHub 'Microsoft\.DurableTask\/schedulers\/taskHubs@2025-11-01'/);
    assert.match(
      functionApp,
      /'AzureFunctionsJobHost__extensions__durableTask__storageProvider__type', value: 'azureManaged'/,
    );
    assert.match(functionApp, /Authentication=ManagedIdentity;ClientID=\$\{identityClientId\}/);
    assert.match(
      read(path.join(INFRA, 'modules', 'roles.bicep')),
      /durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'/,
    );
  });
});

describe('infra/: the outcomes in the Azure portal', () => {
  const monitoring = read(path.join(INFRA, 'modules', 'monitoring.bicep'));
  const workbook = JSON.parse(read(path.join(INFRA, 'modules', 'workbook.json'))) as {
    items: { content: { query?: string; title?: string } }[];
  };

  it('deploys a workbook of the outcome events the app sends', () => {
    const [body] = resources(monitoring, 'Microsoft.Insights/workbooks');
    assert.ok(body, 'a workbook resource');
    assert.match(body, /serializedData: string\(loadJsonContent\('workbook\.json'\)\)/);
    assert.match(body, /sourceId: insights\.id/);
    const queries = workbook.items.map((i) => i.content.query ?? '').filter(Boolean);
    const titles = workbook.items.map((i) => i.content.title ?? '').join(' | ');
    for (const chart of [
      /Resolved by the requester/,
      /First response/,
      /SLA/,
      /Hand-overs to engineers/,
      /workflows that failed/,
    ])
      assert.match(titles, chart);
    // The event and dimension names the charts read are the ones the telemetry adapter writes.
    const adapter = read(path.join(APP_ROOT, 'src', 'adapters', 'telemetry', 'azureMonitor.ts'));
    assert.match(adapter, /OUTCOME_EVENT = 'autotier\.outcome'/);
    for (const q of queries.filter((q) => q.includes('customEvents'))) {
      assert.match(q, /name == 'autotier\.outcome'/);
      for (const [, dim] of q.matchAll(/customDimensions\['(autotier\.[a-z_]+)'\]/g))
        assert.ok(adapter.includes(`'${dim}'`), `the adapter writes ${dim}`);
    }
  });

  it('alerts on failed workflows, poison queues and SLA breaches, mailing the ops address when given', () => {
    assert.match(
      monitoring,
      /resource rules 'Microsoft\.Insights\/scheduledQueryRules@[^']+' = \[\s*for rule in alertRules/,
    );
    assert.deepEqual(
      [...monitoring.matchAll(/key: '([a-z-]+)'/g)].map((m) => m[1]),
      ['failed-workflows', 'poison-messages', 'sla-breaches'],
    );
    for (const q of ['autotier.workflowAlert', '-poison', 'sla_breach']) assert.ok(monitoring.includes(q), q);
    assert.match(monitoring, /actionGroups: empty\(alertEmail\) \? \[\] : \[actionGroup\.id\]/);
    const workflowAlert = read(path.join(APP_ROOT, 'src', 'housekeeping', 'workflowHousekeeping.ts'));
    assert.match(workflowAlert, /autotier\.workflowAlert/, 'the rule matches what the housekeeping logs');
  });
});
