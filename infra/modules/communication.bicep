// Mail to requesters: Azure Communication Services with an Email Communication Service and a domain.
param name string
@description('Empty: an Azure-managed domain (xxxx.azurecomm.net). Otherwise a custom domain you verify in DNS.')
param customEmailDomain string
param dataLocation string = 'Europe'
param tags object

var abbrs = loadJsonContent('../abbreviations.json')
var useCustom = !empty(customEmailDomain)

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: '${abbrs.emailService}${name}'
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }
}

resource domain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: useCustom ? customEmailDomain : 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: useCustom ? 'CustomerManaged' : 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: '${abbrs.communicationService}${name}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [domain.id]
    disableLocalAuth: true
  }
}

output name string = acs.name
output endpoint string = 'https://${acs.properties.hostName}'
output mailFrom string = 'DoNotReply@${domain.properties.mailFromSenderDomain}'
