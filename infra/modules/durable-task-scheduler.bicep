// The Durable Task Scheduler backend (optional; the Azure Storage backend is the default). Its
// dashboard (https://dashboard.durabletask.io, or the scheduler's page in the portal) is the
// operator's view of every ticket workflow: history, status, raise an event, terminate.
param name string
param location string
param taskHubName string
@allowed(['Consumption', 'Dedicated'])
param sku string = 'Consumption'
param tags object

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    // At least one entry: an empty list refuses every caller. Access is by Entra ID roles.
    ipAllowlist: ['0.0.0.0/0']
    sku: sku == 'Dedicated' ? { name: sku, capacity: 1 } : { name: sku }
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
