// ACS delivery reports to the app: an Event Grid system topic on the Communication Service and a
// subscription that delivers EmailDeliveryReportReceived to the acsDeliveryReport function (the
// AzureFunction endpoint type needs no key). The function must exist first: turn this on from
// the second deployment, after the app package is deployed.
param communicationName string
param functionAppName string
param location string = 'global'
param tags object

resource acs 'Microsoft.Communication/communicationServices@2025-05-01' existing = {
  name: communicationName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-${communicationName}'
  location: location
  tags: tags
  properties: {
    source: acs.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

resource deliveryReports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'email-delivery-reports'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${site.id}/functions/acsDeliveryReport'
        maxEventsPerBatch: 1
      }
    }
    filter: { includedEventTypes: ['Microsoft.Communication.EmailDeliveryReportReceived'] }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}
