// One file per client. Deploy with:
//   az deployment sub create --location uksouth --template-file infra/main.bicep \
//     --parameters infra/clients/example-dental.bicepparam \
//     --parameters linkSigningKey=$LINK_SIGNING_KEY psaSecret=$PSA_SECRET
using '../main.bicep'

param clientId = 'example-dental'
param clientName = 'Example Dental Group'
param location = 'uksouth'
param slaTier = 'standard'
param businessHours = {
  timeZone: 'Europe/London'
  days: [1, 2, 3, 4, 5]
  start: '08:00'
  end: '18:00'
}
param psa = {
  type: 'connectwise'
  baseUrl: 'https://api-eu.myconnectwise.net/v4_6_release/apis/3.0'
  companyId: 'examplemsp'
  clientId: '00000000-0000-0000-0000-000000000000'
  username: 'autotier-api-member-public-key'
  mapping: {
    companies: { ExampleDental: 'example-dental' }
    tiers: { '1': '1', '2': '12', '3': '13' }
    statuses: { in_progress: '2', waiting_on_requester: '5', resolved: '7', closed: '8' }
    selfIds: ['autotier']
  }
}
param graph = { auth: 'client-secret', tenantId: '11111111-1111-1111-1111-111111111111', clientId: '22222222-2222-2222-2222-222222222222' }
param directory = {
  tenantId: '11111111-1111-1111-1111-111111111111'
  appId: '33333333-3333-3333-3333-333333333333'
  credential: 'workload-identity'
  passwordWriteback: false
  temporaryAccessPass: true
  passLifetimeMinutes: 60
}
param access = {
  approvalAboveMonthlyCost: 20
  products: [
    { product: 'Visio', aliases: ['visio plan 2'], sku: 'VISIOCLIENT', monthlyCost: 12, selfService: true }
    { product: 'Adobe Acrobat', aliases: ['acrobat'], groupId: '44444444-4444-4444-4444-444444444444', monthlyCost: 15, selfService: true }
    { product: 'Power BI Pro', sku: 'POWER_BI_PRO', monthlyCost: 9, selfService: false }
  ]
}
param supportMailbox = 'support@exampledental.example'
param emailDomains = ['exampledental.example']
// A custom domain is two deployments: with customEmailDomain set, add the DNS records the
// deployment outputs (AUTOTIER_CUSTOM_EMAIL_DOMAIN_RECORDS); once they verify, set
// linkCustomEmailDomain = true and deploy again.
param customEmailDomain = ''
param linkCustomEmailDomain = false
// 'graph' sends from supportMailbox through Microsoft Graph (Mail.Send on that mailbox only).
param mailMode = 'acs'
// After the first package deploy: ACS delivery reports reach the ticket (bounces alert tier 1).
param mailDeliveryReports = false
// 'durableTaskScheduler' adds a scheduler and its dashboard; the storage account otherwise.
param durableBackend = 'azureStorage'
// Raise when redeploying after the client's resource group was deleted (Key Vault purge protection).
param keyVaultGeneration = 1
param alwaysReadyHttp = 1
param alwaysReadyDurable = 1
// The ops mailbox the Azure Monitor alert rules mail (failed workflows, poison queues, SLA breaches).
param alertEmail = 'ops@msp.example'
// Secrets are never written here: pass linkSigningKey and psaSecret on the command line from your
// secret store (the workflow reads them from GitHub environment secrets).
param linkSigningKey = readEnvironmentVariable('LINK_SIGNING_KEY')
param psaSecret = readEnvironmentVariable('PSA_SECRET', '')
param webhookSecret = readEnvironmentVariable('WEBHOOK_SECRET', '')
// Where alerts go (README: AUTOTIER_NOTIFY): JSON with signed Teams Workflows webhook URLs, so a secret.
param notifyChannels = readEnvironmentVariable('NOTIFY_CHANNELS', '')
param intakeSecrets = {
  psaWebhookSecrets: readEnvironmentVariable('PSA_WEBHOOK_SECRETS', '')
  mailIntakeSecrets: readEnvironmentVariable('MAIL_INTAKE_SECRETS', '')
  graphClientSecret: readEnvironmentVariable('GRAPH_CLIENT_SECRET', '')
  graphClientState: readEnvironmentVariable('GRAPH_CLIENT_STATE', '')
  directoryClientSecret: readEnvironmentVariable('DIRECTORY_CLIENT_SECRET', '')
}
param tags = { owner: 'msp-ops' }
