// autotier: one deployment per MSP client, at subscription scope (it creates the resource group).
//   az deployment sub create --location <region> --template-file infra/main.bicep --parameters infra/clients/<client>.bicepparam
//   or: azd env new <client> && azd up   (the preprovision hook maps infra/clients/<client>.bicepparam)
targetScope = 'subscription'

@description('Short client id: lowercase letters, digits and hyphens (used in names and as the app\'s client id).')
@minLength(2)
@maxLength(20)
param clientId string

@description('Client display name.')
param clientName string

@description('Azure region.')
param location string

@allowed(['premium', 'standard', 'basic'])
param slaTier string = 'standard'

@description('Business hours in the client\'s time zone: { timeZone, days (1=Mon..7=Sun), start "HH:MM", end "HH:MM" }.')
param businessHours object = { timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }

@description('PSA connection (no secrets here): { type: connectwise|autotask|halopsa|none, baseUrl, companyId, clientId, username, mapping }. See the README for mapping.')
param psa object = { type: 'none' }

@description('Graph mail intake: { auth: managed-identity|client-secret, tenantId, clientId } (the app registration in the client tenant).')
param graph object = { auth: 'managed-identity' }

@description('The client\'s Entra ID tenant for the playbooks that act: { tenantId, appId, credential: workload-identity|client-secret|managed-identity, passwordWriteback, temporaryAccessPass, passLifetimeMinutes }. Empty: guides only. See the README for the Graph permissions.')
param directory object = {}

@description('Products automation may grant: { approvalAboveMonthlyCost, products: [{ product, aliases, sku | groupId, monthlyCost, selfService }] }.')
param access object = {}

@description('Mail domains of the client\'s staff: mail from them to the support mailbox becomes their tickets.')
param emailDomains array = []

@description('The shared support mailbox tickets arrive at, e.g. support@client.example.')
param supportMailbox string = ''

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

@description('Always-ready instances for the HTTP and Durable groups (Flex Consumption).')
param alwaysReadyHttp int = 1
param alwaysReadyDurable int = 1

@description('App Service authentication (Entra sign-in, unauthenticated requests allowed) is configured in front of the app: the requester portal trusts its signed-in user (AUTOTIER_EASY_AUTH=1).')
param portalSignIn bool = false

@description('An ops mailbox the Azure Monitor alert rules mail (failed workflows, poison queues, SLA breaches); empty: portal only.')
param alertEmail string = ''

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
@description('Optional intake secrets, stored in Key Vault only: { psaWebhookSecrets, mailIntakeSecrets, graphClientSecret, graphClientState, directoryClientSecret }.')
param intakeSecrets object = {}

param tags object = {}

var abbrs = loadJsonContent('abbreviations.json')
var allTags = union(tags, { 'autotier-client': clientId, 'azd-env-name': clientId })

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
    clientName: clientName
    location: location
    slaTier: slaTier
    businessHours: businessHours
    psa: psa
    supportMailbox: supportMailbox
    emailDomains: emailDomains
    customEmailDomain: customEmailDomain
    linkCustomEmailDomain: linkCustomEmailDomain
    mailMode: mailMode
    mailDeliveryReports: mailDeliveryReports
    durableBackend: durableBackend
    keyVaultGeneration: keyVaultGeneration
    alwaysReadyHttp: alwaysReadyHttp
    alwaysReadyDurable: alwaysReadyDurable
    portalSignIn: portalSignIn
    linkSigningKey: linkSigningKey
    psaSecret: psaSecret
    webhookSecret: webhookSecret
    intakeSecrets: intakeSecrets
    notifyChannels: notifyChannels
    graph: graph
    directory: directory
    access: access
    alertEmail: alertEmail
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
