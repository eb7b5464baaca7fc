// autotier: one deployment per MSP client, at subscription scope (it creates the resource group).
//   az deployment sub create --location <region> --template-file infra/main.bicep --parameters infra/clients/<client>.bicepparam
//   or: azd env new <client> && azd up   (the preprovision hook maps infra/clients/<client>.bicepparam)
targetScope = 'subscription'

@description('Short client id: lowercase letters, digits and hyphens (used in names and as the app\'s client id).')
@minLength(2)
@maxLength(20)
param clientId string

@description('The client\'s profile, every setting `autotier client set` knows (infra/clients/<client>.profile.json, loaded by the .bicepparam with loadJsonContent): written to the Clients table when the app starts.')
param clientProfile object

@description('Azure region.')
param location string

@description('The MSP\'s Log Analytics workspace (resource id): every client\'s telemetry goes there, where infra/fleet.bicep\'s workbook and alert rules read it.')
param logAnalyticsWorkspaceId string

@description('PSA connection (no secrets here): { type: connectwise|autotask|halopsa|none, baseUrl, companyId, clientId, username, mapping }. See the README for mapping.')
param psa object = { type: 'none' }

@description('Graph mail intake: { auth: managed-identity|client-secret, tenantId, clientId } (the app registration in the client tenant).')
param graph object = { auth: 'managed-identity' }

@description('The shared support mailbox tickets arrive at, e.g. support@client.example.')
param supportMailbox string = ''

@description('Where ACS keeps mail data at rest (its data location), e.g. Europe, UK, United States: the client\'s choice, not a default.')
@allowed(['Africa', 'Asia Pacific', 'Australia', 'Brazil', 'Canada', 'Europe', 'France', 'Germany', 'India', 'Japan', 'Korea', 'Norway', 'Switzerland', 'UAE', 'UK', 'United States'])
param mailDataLocation string

@description('The MSP\'s shared sender domain, verified once (fleet.bicep outputs MSP_EMAIL_DOMAIN): { domainId, senderDomain }. Empty: the client\'s own domain below, or the Azure-managed one.')
param mspEmailDomain object = {}

@description('Custom mail domain for ACS; empty uses the Azure-managed domain only (a handful of mails an hour).')
param customEmailDomain string = ''

@description('Step two of a custom domain: send from it, once its DNS records verified (README: custom mail domain).')
param linkCustomEmailDomain bool = false

@description('acs: Azure Communication Services. graph: Graph sendMail from supportMailbox (Mail.Send on that mailbox).')
@allowed(['acs', 'graph'])
param mailMode string = 'acs'

@description('ACS delivery reports to the app (bounced mail reaches the ticket and tier 1). Turn on once the app package is deployed: Event Grid checks that the function exists.')
param mailDeliveryReports bool = false

@description('Where Durable Functions keeps its state: the storage account, or a Durable Task Scheduler (with its dashboard).')
@allowed(['azureStorage', 'durableTaskScheduler'])
param durableBackend string = 'azureStorage'

@description('Raise by one to redeploy a client whose deleted Key Vault still holds its name (purge protection, 90 days).')
@minValue(1)
param keyVaultGeneration int = 1

@description('Always-ready instances for the HTTP and Durable groups (Flex Consumption): 0 scales to zero (no charge while idle); each always-ready instance is billed around the clock.')
@minValue(0)
param alwaysReadyHttp int = 0
@minValue(0)
param alwaysReadyDurable int = 0

@description('Entra sign-in (App Service authentication, authsettingsV2) in front of the app: { tenantId, clientId } of an app registration that defines the Ops.Read app role. Empty: no sign-in (the ops pages take AUTOTIER_OPS_KEY).')
param signIn object = {}

@description('The requester portal trusts its signed-in user (AUTOTIER_EASY_AUTH=1); only with signIn, which this template then configures in the same deployment.')
param portalSignIn bool = false

@description('Creates an Azure OpenAI account and chat deployment in the client resource group and turns the assistant on (second opinions, escalation briefings, replies, KB drafts). Off by default.')
param openAi bool = false

@description('The chat model to deploy when openAi is true: { name, version, capacity } (capacity in thousands of tokens a minute).')
param openAiModel object = { name: 'gpt-4o-mini', version: '2024-07-18', capacity: 10 }

@allowed(['Standard', 'DataZoneStandard', 'GlobalStandard'])
@description('Where prompts may be processed: Standard in the resource region, DataZoneStandard in its data zone, GlobalStandard in any region.')
param openAiDeploymentType string = 'Standard'

@description('Tokens the assistant may use per UTC day for this client.')
param openAiDailyTokens int = 200000

@secure()
@description('Signs the yes/no links in mails: 32+ random characters. Stored in Key Vault only.')
param linkSigningKey string

@secure()
@description('PSA API secret (or webhook secret); stored in Key Vault only. Empty when no PSA is connected.')
param psaSecret string = ''

@secure()
@description('Secret of the generic webhook (HMAC-SHA256); stored in Key Vault only.')
param webhookSecret string = ''

@secure()
@description('AUTOTIER_NOTIFY: JSON {"tier1": {"webhook", "email"}, "tier2", "tier3", "oncall"} (Teams Workflows webhook URLs carry a signature); stored in Key Vault only. Empty: alerts stay in their queues.')
param notifyChannels string = ''

@secure()
@description('AUTOTIER_OPS_KEY: opens the ops pages when there is no Entra sign-in (x-functions-key header or code query); stored in Key Vault only. Empty: sign-in only.')
param opsKey string = ''

@secure()
@description('Optional intake secrets, stored in Key Vault only: { psaWebhookSecrets, mailIntakeSecrets, graphClientSecret, graphClientState, directoryClientSecret }.')
param intakeSecrets object = {}

param tags object = {}

var abbrs = loadJsonContent('abbreviations.json')
var allTags = union(tags, { 'autotier-client': clientId, 'azd-env-name': clientId })
// The profile names its client by the deployment's id, whatever the file says.
var profile = union(clientProfile, { clientId: clientId })

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourceGroup}autotier-${clientId}'
  location: location
  tags: allTags
}

module app 'modules/app.bicep' = {
  name: 'autotier-${clientId}'
  scope: rg
  params: {
    clientId: clientId
    clientProfile: profile
    location: location
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
    psa: psa
    supportMailbox: supportMailbox
    mailDataLocation: mailDataLocation
    mspEmailDomain: mspEmailDomain
    customEmailDomain: customEmailDomain
    linkCustomEmailDomain: linkCustomEmailDomain
    mailMode: mailMode
    mailDeliveryReports: mailDeliveryReports
    durableBackend: durableBackend
    keyVaultGeneration: keyVaultGeneration
    alwaysReadyHttp: alwaysReadyHttp
    alwaysReadyDurable: alwaysReadyDurable
    signIn: signIn
    portalSignIn: portalSignIn
    opsKey: opsKey
    linkSigningKey: linkSigningKey
    psaSecret: psaSecret
    webhookSecret: webhookSecret
    intakeSecrets: intakeSecrets
    notifyChannels: notifyChannels
    graph: graph
    openAi: openAi
    openAiModel: openAiModel
    openAiDeploymentType: openAiDeploymentType
    openAiDailyTokens: openAiDailyTokens
    tags: allTags
  }
}

output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_LOCATION string = location
output AZURE_FUNCTION_APP_NAME string = app.outputs.FUNCTION_APP_NAME
output AUTOTIER_PUBLIC_BASE_URL string = app.outputs.PUBLIC_BASE_URL
output AUTOTIER_MAIL_FROM string = app.outputs.MAIL_FROM
output AUTOTIER_CUSTOM_EMAIL_DOMAIN_RECORDS object = app.outputs.CUSTOM_EMAIL_DOMAIN_RECORDS
output AUTOTIER_DURABLE_TASK_SCHEDULER_ENDPOINT string = app.outputs.DURABLE_TASK_SCHEDULER_ENDPOINT
output AZURE_KEY_VAULT_NAME string = app.outputs.KEY_VAULT_NAME
output AUTOTIER_IDENTITY_PRINCIPAL_ID string = app.outputs.IDENTITY_PRINCIPAL_ID
