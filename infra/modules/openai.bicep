// The optional Azure OpenAI resource (issue 19), in the client's resource group: the assistant's
// prompts and answers stay in the MSP's own tenant. Keys are off: the app signs in with its
// managed identity, which roles.bicep gives "Cognitive Services OpenAI User" on this account.
param name string
param location string
param tags object
@description('The chat model deployment the app calls (AUTOTIER_OPENAI_DEPLOYMENT).')
param deploymentName string = 'autotier-chat'
@description('A chat model that answers JSON objects: { name, version, capacity } (capacity in thousands of tokens a minute).')
param model object = { name: 'gpt-4o-mini', version: '2024-07-18', capacity: 10 }
@allowed(['GlobalStandard', 'Standard', 'DataZoneStandard'])
@description('GlobalStandard may process prompts in any Azure region; Standard keeps them in the resource region, DataZoneStandard in its data zone (EU or US).')
param deploymentType string = 'Standard'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    publicNetworkAccess: 'Enabled'
    disableLocalAuth: true
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: { name: deploymentType, capacity: model.capacity }
  properties: {
    model: { format: 'OpenAI', name: model.name, version: model.version }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
}

output name string = account.name
output endpoint string = account.properties.endpoint
output deploymentName string = deployment.name
