// Everything one client's autotier needs, in its resource group.
param clientId string
@description('The whole client profile (infra/clients/<client>.profile.json, its clientId the deployment\'s).')
param clientProfile object
param location string
param logAnalyticsWorkspaceId string
param psa object
param supportMailbox string
param mailDataLocation string
param mspEmailDomain object
param customEmailDomain string
param linkCustomEmailDomain bool
param mailMode string
param mailDeliveryReports bool
param durableBackend string
param keyVaultGeneration int
param alwaysReadyHttp int
param alwaysReadyDurable int
param signIn object
param portalSignIn bool
@secure()
param opsKey string
@secure()
param linkSigningKey string
@secure()
param psaSecret string
@secure()
param webhookSecret string
@secure()
param intakeSecrets object
@secure()
param notifyChannels string
param graph object
param openAi bool
param openAiModel object
param openAiDeploymentType string
param openAiDailyTokens int

param tags object

var abbrs = loadJsonContent('../abbreviations.json')
var token = uniqueString(subscription().id, resourceGroup().id, clientId)
// Storage and Key Vault names are global: a short client id plus the 13-character token.
var compactId = take(replace(clientId, '-', ''), 8)
var storageName = '${abbrs.storageAccount}${compactId}${token}'
var packageContainer = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${abbrs.managedIdentity}autotier-${clientId}'
  location: location
  tags: tags
}

module storage 'storage.bicep' = {
  name: 'storage'
  params: { name: storageName, location: location, packageContainer: packageContainer, tags: tags }
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
  params: { name: 'autotier-${clientId}', location: location, logAnalyticsWorkspaceId: logAnalyticsWorkspaceId, tags: tags }
}

// Purge protection keeps a deleted vault's name for 90 days: a client redeployed after its
// resource group was deleted takes the next generation (see the README).
var vaultToken = keyVaultGeneration == 1 ? token : uniqueString(subscription().id, resourceGroup().id, clientId, string(keyVaultGeneration))

module vault 'keyvault.bicep' = {
  name: 'keyvault'
  params: { name: 'kv${compactId}${vaultToken}', location: location, linkSigningKey: linkSigningKey, psaSecret: psaSecret, webhookSecret: webhookSecret, intakeSecrets: intakeSecrets, notifyChannels: notifyChannels, opsKey: opsKey, tags: tags }
}

module communication 'communication.bicep' = {
  name: 'communication'
  params: { name: 'autotier-${clientId}-${token}', customEmailDomain: customEmailDomain, linkCustomEmailDomain: linkCustomEmailDomain, mspEmailDomain: mspEmailDomain, dataLocation: mailDataLocation, tags: tags }
}

module scheduler 'durable-task-scheduler.bicep' = if (durableBackend == 'durableTaskScheduler') {
  name: 'durable-task-scheduler'
  params: { name: 'dts-autotier-${clientId}-${token}', location: location, taskHubName: 'autotier', tags: tags }
}

module openAiAccount 'openai.bicep' = if (openAi) {
  name: 'openai'
  params: { name: '${abbrs.openAi}autotier-${clientId}-${token}', location: location, model: openAiModel, deploymentType: openAiDeploymentType, tags: tags }
}

module roles 'roles.bicep' = {
  name: 'roles'
  params: {
    principalId: identity.properties.principalId
    storageName: storage.outputs.name
    keyVaultName: vault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
    communicationName: communication.outputs.name
    schedulerName: durableBackend == 'durableTaskScheduler' ? scheduler!.outputs.name : ''
    openAiName: openAi ? openAiAccount!.outputs.name : ''
  }
}

module functionApp 'function-app.bicep' = {
  name: 'function-app'
  dependsOn: [roles]
  params: {
    name: '${abbrs.functionApp}autotier-${clientId}-${token}'
    planName: '${abbrs.appServicePlan}autotier-${clientId}'
    location: location
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageName: storage.outputs.name
    packageContainer: packageContainer
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: vault.outputs.uri
    linkSigningKeySecretName: vault.outputs.linkSigningKeySecretName
    psaSecretName: vault.outputs.psaSecretName
    webhookSecretName: vault.outputs.webhookSecretName
    intakeSecretNames: vault.outputs.intakeSecretNames
    notifySecretName: vault.outputs.notifySecretName
    opsKeySecretName: vault.outputs.opsKeySecretName
    graph: graph
    acsEndpoint: communication.outputs.endpoint
    mailFrom: communication.outputs.mailFrom
    clientProfile: clientProfile
    psa: psa
    supportMailbox: supportMailbox
    mailMode: mailMode
    durableTaskScheduler: durableBackend == 'durableTaskScheduler'
      ? { endpoint: scheduler!.outputs.endpoint, taskHubName: scheduler!.outputs.taskHubName }
      : {}
    alwaysReadyHttp: alwaysReadyHttp
    alwaysReadyDurable: alwaysReadyDurable
    signIn: signIn
    portalSignIn: portalSignIn
    openAi: openAi
      ? { endpoint: openAiAccount!.outputs.endpoint, deployment: openAiAccount!.outputs.deploymentName, dailyTokens: openAiDailyTokens }
      : {}
    tags: tags
  }
}

module mailEvents 'mail-events.bicep' = if (mailMode == 'acs' && mailDeliveryReports) {
  name: 'mail-events'
  params: { communicationName: communication.outputs.name, functionAppName: functionApp.outputs.name, tags: tags }
}

output FUNCTION_APP_NAME string = functionApp.outputs.name
output PUBLIC_BASE_URL string = functionApp.outputs.url
output MAIL_FROM string = communication.outputs.mailFrom
output CUSTOM_EMAIL_DOMAIN_RECORDS object = communication.outputs.customDomainVerificationRecords
output DURABLE_TASK_SCHEDULER_ENDPOINT string = durableBackend == 'durableTaskScheduler' ? scheduler!.outputs.endpoint : ''
output KEY_VAULT_NAME string = vault.outputs.name
// The subject of the federated credential on the app registration in the client's tenant.
output IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
