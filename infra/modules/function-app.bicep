// The Function App on Flex Consumption (FC1): the C# app (src/Autotier.Functions), dotnet-isolated
// 10.0, running as the user-assigned identity. Storage, Key Vault, App Insights and ACS are reached
// with that identity only: no key or connection string with a secret in any setting.
param name string
param planName string
param location string
param identityId string
param identityClientId string
param storageName string
param packageContainer string
param appInsightsConnectionString string
param keyVaultUri string
param linkSigningKeySecretName string
param psaSecretName string
param webhookSecretName string
param intakeSecretNames object
@description('The Key Vault secret holding AUTOTIER_NOTIFY, or empty when no alert channels were given.')
param notifySecretName string
@description('The Key Vault secret holding AUTOTIER_OPS_KEY, or empty (the ops pages then need Entra sign-in, or stay closed).')
param opsKeySecretName string
param graph object
param acsEndpoint string
param mailFrom string
@description('The client profile (infra/clients/<client>.profile.json), written to the Clients table at start (AUTOTIER_CLIENT_PROFILE).')
param clientProfile object
param psa object
param supportMailbox string
@allowed(['acs', 'graph'])
param mailMode string
@description('Empty: the Azure Storage backend. Otherwise the Durable Task Scheduler endpoint and task hub.')
param durableTaskScheduler object = {}
@description('Always-ready instances (Flex Consumption): 0 scales to zero and costs nothing while idle.')
param alwaysReadyHttp int
param alwaysReadyDurable int
param tags object
@description('Entra sign-in (App Service authentication) in front of the app: { tenantId, clientId } of the app registration, or empty.')
param signIn object = {}
@description('The requester portal trusts the signed-in user (AUTOTIER_EASY_AUTH=1). Only honoured together with signIn.')
param portalSignIn bool
@description('The optional assistant: { endpoint, deployment, dailyTokens }, or empty when it is off.')
param openAi object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

// A Key Vault reference: the platform resolves it with keyVaultReferenceIdentity.
func kvRef(vaultUri string, secret string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secret})'

var useScheduler = !empty(durableTaskScheduler)
var useSignIn = !empty(signIn)

// Every setting the C# app reads (configuration["..."], its binding expressions %...% and host.json's);
// tests/Autotier.UnitTests/Infra/InfraSettingsTests.cs keeps this list equal to the code's.
var appSettings = [
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
  { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
  { name: 'AUTOTIER_TASK_HUB', value: useScheduler ? durableTaskScheduler.taskHubName : 'autotier' }
  { name: 'AUTOTIER_TABLE_PREFIX', value: 'autotier' }
  { name: 'AUTOTIER_TIER_QUEUE_PREFIX', value: 'autotier-tier' }
  { name: 'AUTOTIER_INTAKE_QUEUE', value: 'autotier-intake' }
  { name: 'AUTOTIER_NOTIFY', value: empty(notifySecretName) ? '' : kvRef(keyVaultUri, notifySecretName) }
  { name: 'AUTOTIER_HISTORY_RETENTION_DAYS', value: '30' }
  // The built-in models are trained once per instance and cached on its local disk.
  { name: 'AUTOTIER_MODEL_CACHE', value: '/tmp/autotier-models' }
  { name: 'AUTOTIER_MAIL_MODE', value: mailMode }
  { name: 'AUTOTIER_ACS_ENDPOINT', value: acsEndpoint }
  { name: 'AUTOTIER_MAIL_FROM', value: mailFrom }
  { name: 'AUTOTIER_LINK_SIGNING_KEY', value: kvRef(keyVaultUri, linkSigningKeySecretName) }
  { name: 'AUTOTIER_CLIENT_PROFILE', value: string(clientProfile) }
  { name: 'AUTOTIER_OPS_KEY', value: empty(opsKeySecretName) ? '' : kvRef(keyVaultUri, opsKeySecretName) }
  { name: 'AUTOTIER_PSA_TYPE', value: psa.?type ?? 'none' }
  { name: 'AUTOTIER_PSA_BASE_URL', value: psa.?baseUrl ?? '' }
  { name: 'AUTOTIER_PSA_COMPANY_ID', value: psa.?companyId ?? '' }
  { name: 'AUTOTIER_PSA_SECRET', value: empty(psaSecretName) ? '' : kvRef(keyVaultUri, psaSecretName) }
  { name: 'AUTOTIER_PSA_CLIENT_ID', value: psa.?clientId ?? '' }
  { name: 'AUTOTIER_PSA_USERNAME', value: psa.?username ?? '' }
  { name: 'AUTOTIER_PSA_MAPPING', value: string(psa.?mapping ?? {}) }
  { name: 'AUTOTIER_PSA_WEBHOOK_SECRETS', value: empty(intakeSecretNames.psaWebhookSecrets) ? '' : kvRef(keyVaultUri, intakeSecretNames.psaWebhookSecrets) }
  { name: 'AUTOTIER_MAIL_INTAKE_SECRETS', value: empty(intakeSecretNames.mailIntakeSecrets) ? '' : kvRef(keyVaultUri, intakeSecretNames.mailIntakeSecrets) }
  { name: 'AUTOTIER_GRAPH_BASE_URL', value: 'https://graph.microsoft.com/v1.0' }
  { name: 'AUTOTIER_GRAPH_AUTH', value: graph.?auth ?? 'managed-identity' }
  { name: 'AUTOTIER_GRAPH_TENANT_ID', value: graph.?tenantId ?? '' }
  { name: 'AUTOTIER_GRAPH_CLIENT_ID', value: graph.?clientId ?? '' }
  { name: 'AUTOTIER_GRAPH_CLIENT_SECRET', value: empty(intakeSecretNames.graphClientSecret) ? '' : kvRef(keyVaultUri, intakeSecretNames.graphClientSecret) }
  { name: 'AUTOTIER_DIRECTORY_CLIENT_SECRET', value: empty(intakeSecretNames.directoryClientSecret) ? '' : kvRef(keyVaultUri, intakeSecretNames.directoryClientSecret) }
  { name: 'AUTOTIER_GRAPH_CLIENT_STATE', value: empty(intakeSecretNames.graphClientState) ? '' : kvRef(keyVaultUri, intakeSecretNames.graphClientState) }
  { name: 'AUTOTIER_SUPPORT_MAILBOX', value: supportMailbox }
  { name: 'AUTOTIER_WEBHOOK_SECRETS', value: empty(webhookSecretName) ? '' : kvRef(keyVaultUri, webhookSecretName) }
  // The portal trusts App Service's principal headers only when this template also turns App
  // Service authentication on (authsettingsV2 below): never a forgeable header before set-up.
  { name: 'AUTOTIER_EASY_AUTH', value: portalSignIn && useSignIn ? '1' : '0' }
  // The assistant is off while the endpoint is empty. No key in Azure: the managed identity signs in.
  { name: 'AUTOTIER_OPENAI_ENDPOINT', value: openAi.?endpoint ?? '' }
  { name: 'AUTOTIER_OPENAI_DEPLOYMENT', value: openAi.?deployment ?? '' }
  { name: 'AUTOTIER_OPENAI_API_VERSION', value: '2024-10-21' }
  { name: 'AUTOTIER_OPENAI_API_KEY', value: '' }
  { name: 'AUTOTIER_OPENAI_DAILY_TOKENS', value: string(openAi.?dailyTokens ?? 200000) }
  { name: 'AUTOTIER_OPENAI_TIMEOUT_MS', value: '5000' }
]

// The Durable Task Scheduler backend, chosen by overriding host.json through app settings (the
// AzureFunctionsJobHost__ prefix), so one package runs on either backend.
var schedulerSettings = useScheduler
  ? [
      { name: 'AzureFunctionsJobHost__extensions__durableTask__storageProvider__type', value: 'azureManaged' }
      { name: 'AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName', value: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING' }
      { name: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING', value: 'Endpoint=${durableTaskScheduler.endpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}' }
    ]
  : []

// App Service authentication signs in with the managed identity as a federated credential of the
// app registration (no client secret anywhere; docs/deploy-csharp.md, "Entra sign-in").
var signInSettings = useSignIn
  ? [
      { name: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID', value: identityClientId }
    ]
  : []

var allSettings = concat(appSettings, schedulerSettings, signInSettings)

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${packageContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
        // Only groups asked for: an idle client costs nothing (docs/deploy-csharp.md, "Costs").
        alwaysReady: filter([
          { name: 'http', instanceCount: alwaysReadyHttp }
          { name: 'durable', instanceCount: alwaysReadyDurable }
        ], group => group.instanceCount > 0)
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: allSettings
    }
  }
}

// Settings that need the app's own host name, applied once the site exists: the links in mails
// must point at the host Azure gave the app (Flex Consumption may add a regional suffix).
var hostNameSettings = { AUTOTIER_PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}' }

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(toObject(allSettings, s => s.name, s => s.value), hostNameSettings)
}

// Entra sign-in for the ops pages (the Ops.Read app role) and, with portalSignIn, the requester
// portal. Unauthenticated requests still reach the app: the API, webhooks, mail links and the
// anonymous portal answer for themselves, and the ops handler refuses a caller without the role.
// With the platform on, it strips X-MS-CLIENT-PRINCIPAL* headers that callers send.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (useSignIn) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true, runtimeVersion: '~1' }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: { requireHttps: true }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: signIn.?clientId ?? ''
          clientSecretSettingName: 'OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID'
          openIdIssuer: 'https://login.microsoftonline.com/${signIn.?tenantId ?? tenant().tenantId}/v2.0'
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
  dependsOn: [settings]
}

// No publishing passwords: deployments authenticate with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
