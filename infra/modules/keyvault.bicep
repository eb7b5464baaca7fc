// Secrets: the link-signing key and the PSA secret. RBAC mode; the app reads them through Key Vault references.
param name string
param location string
@secure()
param linkSigningKey string
@secure()
param psaSecret string
@secure()
param webhookSecret string
param tags object

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

output name string = vault.name
output uri string = vault.properties.vaultUri
output linkSigningKeySecretName string = linkKey.name
output psaSecretName string = empty(psaSecret) ? '' : 'psa-secret'
output webhookSecretName string = empty(webhookSecret) ? '' : 'webhook-secret'
