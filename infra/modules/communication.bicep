// Mail to requesters: Azure Communication Services. The sender domain is one of:
// - the MSP's, shared by every client (mspEmailDomain: a verified domain fleet.bicep creates once);
// - the client's own custom domain, deployed in two steps: first with `customEmailDomain` set, which
//   creates the domain and outputs the DNS records to add (TXT for ownership, SPF, DKIM, DKIM2);
//   once they verify, deploy again with `linkCustomEmailDomain: true` to send from it;
// - else the Azure-managed domain (xxxx.azurecomm.net), which works at once but sends only a handful
//   of mails an hour (docs/deploy-csharp.md, "Mail domains and their limits").
param name string
@description('Empty: the Azure-managed domain only. Otherwise a domain you own and verify in DNS.')
param customEmailDomain string
@description('Step two: send from the custom domain (only after its DNS records verified).')
param linkCustomEmailDomain bool = false
@description('The MSP\'s shared, verified sender domain: { domainId, senderDomain } (fleet.bicep outputs them), or empty.')
param mspEmailDomain object = {}
@description('Where ACS keeps its data at rest (the email service\'s must be the same).')
param dataLocation string
param tags object

var abbrs = loadJsonContent('../abbreviations.json')
var useMsp = !empty(mspEmailDomain)
var useCustom = !useMsp && !empty(customEmailDomain)
var sendFromCustom = useCustom && linkCustomEmailDomain

// The client's own email service: only when it does not send from the MSP's domain.
resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = if (!useMsp) {
  name: '${abbrs.emailService}${name}'
  location: 'global'
  tags: tags
  properties: { dataLocation: dataLocation }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (!useMsp) {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource customDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (useCustom) {
  parent: emailService
  name: useCustom ? customEmailDomain : 'unused'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: '${abbrs.communicationService}${name}'
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    // An unverified domain cannot be linked: until step two only the managed one is.
    linkedDomains: useMsp ? [mspEmailDomain.domainId] : sendFromCustom ? [managedDomain!.id, customDomain!.id] : [managedDomain!.id]
    disableLocalAuth: true
  }
}

output name string = acs.name
output endpoint string = 'https://${acs.properties.hostName}'
output mailFrom string = useMsp
  ? 'DoNotReply@${mspEmailDomain.senderDomain}'
  : sendFromCustom
      ? 'DoNotReply@${customDomain!.properties.mailFromSenderDomain}'
      : 'DoNotReply@${managedDomain!.properties.mailFromSenderDomain}'
@description('Step one: the DNS records that prove the custom domain (empty without one).')
output customDomainVerificationRecords object = useCustom ? customDomain!.properties.verificationRecords : {}
