// One file per client. Deploy with:
//   az deployment sub create --location uksouth --template-file infra/main.bicep \
//     --parameters infra/clients/example-dental.bicepparam \
//     --parameters linkSigningKey=$LINK_SIGNING_KEY psaSecret=$PSA_SECRET
using '../main.bicep'

param clientId = 'example-dental'
// Every client setting (the same ones `autotier client set` changes), checked by the unit tests with
// the CLI's own rules: written to the client's profile each time the app starts.
param clientProfile = loadJsonContent('example-dental.profile.json')
param location = 'uksouth'
// The MSP's workspace (infra/fleet.bicep's LOG_ANALYTICS_WORKSPACE_ID): one view across all clients.
param logAnalyticsWorkspaceId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-autotier-fleet/providers/Microsoft.OperationalInsights/workspaces/log-autotier-fleet'
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
param supportMailbox = 'support@exampledental.example'
// ACS keeps mail data at rest here: choose it for the client (not a default).
param mailDataLocation = 'UK'
// The MSP's shared sender domain (fleet.bicep's MSP_EMAIL_DOMAIN) instead of a domain per client:
// param mspEmailDomain = { domainId: '/subscriptions/.../emailServices/ecs-autotier-fleet/domains/notify.msp.example', senderDomain: 'notify.msp.example' }
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
// 0: scale to zero (the ~$2 a month client); each always-ready instance costs about $21 a month.
param alwaysReadyHttp = 0
param alwaysReadyDurable = 0
// Entra sign-in for the ops pages (Ops.Read app role) and the portal; docs/deploy-csharp.md, "Entra sign-in".
param signIn = { tenantId: '55555555-5555-5555-5555-555555555555', clientId: '66666666-6666-6666-6666-666666666666' }
param portalSignIn = true
// Secrets are never written here: pass linkSigningKey and psaSecret on the command line from your
// secret store (the workflow reads them from GitHub environment secrets).
param linkSigningKey = readEnvironmentVariable('LINK_SIGNING_KEY')
param psaSecret = readEnvironmentVariable('PSA_SECRET', '')
param webhookSecret = readEnvironmentVariable('WEBHOOK_SECRET', '')
// Where alerts go (README: AUTOTIER_NOTIFY): JSON with signed Teams Workflows webhook URLs, so a secret.
param notifyChannels = readEnvironmentVariable('NOTIFY_CHANNELS', '')
// The ops pages' key when there is no sign-in (AUTOTIER_OPS_KEY).
param opsKey = readEnvironmentVariable('OPS_KEY', '')
param intakeSecrets = {
  psaWebhookSecrets: readEnvironmentVariable('PSA_WEBHOOK_SECRETS', '')
  mailIntakeSecrets: readEnvironmentVariable('MAIL_INTAKE_SECRETS', '')
  graphClientSecret: readEnvironmentVariable('GRAPH_CLIENT_SECRET', '')
  graphClientState: readEnvironmentVariable('GRAPH_CLIENT_STATE', '')
  directoryClientSecret: readEnvironmentVariable('DIRECTORY_CLIENT_SECRET', '')
}
param tags = { owner: 'msp-ops' }
