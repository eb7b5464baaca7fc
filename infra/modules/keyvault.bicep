// Secrets: the link-signing key, the PSA secret, the webhook and mail intake secrets, the alert channels, the ops key. RBAC mode; the app reads them through Key Vault references.
param name string
param location string
@secure()
param linkSigningKey string
@secure()
param psaSecret string
@secure()
param webhookSecret string
@secure()
@description('Intake secrets, each optional: psaWebhookSecrets, mailIntakeSecrets, graphClientSecret, graphClientState.')
param intakeSecrets object
@secure()
@description('AUTOTIER_NOTIFY (alert channels: Workflows webhook URLs are signed), or empty.')
param notifyChannels string
@secure()
@description('AUTOTIER_OPS_KEY (the ops pages without Entra sign-in), or empty.')
param opsKey string
param tags object

var intakeSecretNames = {
  psaWebhookSecrets: 'psa-webhook-secrets'
  mailIntakeSecrets: 'mail-intake-secrets'
  graphClientSecret: 'graph-client-secret'
  graphClientState: 'graph-client-state'
  directoryClientSecret: 'directory-client-secret'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource linkKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'link-signing-key'
  properties: { value: linkSigningKey, contentType: 'text/plain' }
}

resource psaKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(psaSecret)) {
  parent: vault
  name: 'psa-secret'
  properties: { value: psaSecret, contentType: 'text/plain' }
}

resource hookKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookSecret)) {
  parent: vault
  name: 'webhook-secret'
  properties: { value: webhookSecret, contentType: 'text/plain' }
}

resource notifyKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(notifyChannels)) {
  parent: vault
  name: 'notify-channels'
  properties: { value: notifyChannels, contentType: 'application/json' }
}

resource opsKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(opsKey)) {
  parent: vault
  name: 'ops-key'
  properties: { value: opsKey, contentType: 'text/plain' }
}

resource intakeKeys 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for s in items(intakeSecretNames): if (!empty(intakeSecrets[?s.key] ?? '')) {
    parent: vault
    name: s.value
    properties: { value: intakeSecrets[s.key], contentType: 'text/plain' }
  }
]

output name string = vault.name
output uri string = vault.properties.vaultUri
output linkSigningKeySecretName string = linkKey.name
output psaSecretName string = empty(psaSecret) ? '' : 'psa-secret'
output webhookSecretName string = empty(webhookSecret) ? '' : 'webhook-secret'
output notifySecretName string = empty(notifyChannels) ? '' : 'notify-channels'
output opsKeySecretName string = empty(opsKey) ? '' : 'ops-key'
// Names only (empty when that secret was not given); the values stay in the vault.
output intakeSecretNames object = {
  psaWebhookSecrets: empty(intakeSecrets[?'psaWebhookSecrets'] ?? '') ? '' : intakeSecretNames.psaWebhookSecrets
  mailIntakeSecrets: empty(intakeSecrets[?'mailIntakeSecrets'] ?? '') ? '' : intakeSecretNames.mailIntakeSecrets
  graphClientSecret: empty(intakeSecrets[?'graphClientSecret'] ?? '') ? '' : intakeSecretNames.graphClientSecret
  graphClientState: empty(intakeSecrets[?'graphClientState'] ?? '') ? '' : intakeSecretNames.graphClientState
  directoryClientSecret: empty(intakeSecrets[?'directoryClientSecret'] ?? '') ? '' : intakeSecretNames.directoryClientSecret
}
