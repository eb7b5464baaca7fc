// autotier for the MSP, deployed once (not per client), in a resource group of the MSP's choice:
//   az group create --name rg-autotier-fleet --location uksouth
//   az deployment group create --resource-group rg-autotier-fleet --template-file infra/fleet.bicep \
//     --parameters alertEmail=ops@msp.example
// It holds the Log Analytics workspace every client app sends its telemetry to (each client's
// logAnalyticsWorkspaceId is this deployment's LOG_ANALYTICS_WORKSPACE_ID), the workbook that shows
// all clients at once, and the alert rules, which fire once for the MSP rather than once per client.
// Optionally, the MSP's own sender domain, shared by every client's mail (mspEmailDomain).

@description('Azure region of the workspace.')
param location string = resourceGroup().location

@description('Name stem of the MSP\'s resources.')
param name string = 'autotier-fleet'

@description('Days the workspace keeps logs (30 is included in the ingestion price).')
@minValue(30)
param retentionInDays int = 30

@description('An ops mailbox the alert rules mail; empty: the rules fire in the portal only.')
param alertEmail string = ''

@description('The MSP\'s sender domain for every client\'s mail (e.g. notify.msp.example), or empty. Two steps as for a client\'s custom domain: add the DNS records this outputs, and once they verify pass MSP_EMAIL_DOMAIN to each client.')
param sharedEmailDomain string = ''

@description('Where the shared email service keeps its data: it must equal each client\'s mailDataLocation.')
param emailDataLocation string = 'Europe'

param tags object = {}

var abbrs = loadJsonContent('abbreviations.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${abbrs.logAnalyticsWorkspace}${name}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

// The fleet view: its queries read what the C# app logs (tests/Autotier.UnitTests/Infra/FleetWorkbookTests.cs
// emits each through the real code and parses it with the workbook's own patterns).
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, workspace.id, 'autotier-fleet')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'autotier: all clients'
    category: 'workbook'
    sourceId: workspace.id
    serializedData: string(loadJsonContent('fleet-workbook.json'))
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${name}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'autotier'
    enabled: true
    emailReceivers: [{ name: 'ops', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// Log search alerts on the workspace, so on every client at once. Each query names its client
// (the function app's name) in the alert's dimensions.
var clientOfApp = '| extend client = extract("^func-autotier-(.+)-[a-z0-9]{13}$", 1, AppRoleName)'
var alertRules = [
  {
    key: 'failed-workflows'
    title: 'autotier: a ticket workflow failed, never started or is stuck'
    severity: 1
    query: 'AppTraces | where Message startswith "autotier.workflowAlert " ${clientOfApp}'
  }
  {
    key: 'failed-alert-deliveries'
    title: 'autotier: an alert could not be delivered, or deliveries wait in a poison queue'
    severity: 2
    query: 'AppTraces | where Message startswith "autotier.alertDeliveryFailed:" or Message startswith "autotier.poison " ${clientOfApp}'
  }
  {
    key: 'sla-breaches'
    title: 'autotier: a ticket breached its SLA'
    severity: 2
    query: 'AppTraces | where Message startswith "autotier.outcome sla_breach " ${clientOfApp}'
  }
  {
    key: 'profile-refused'
    title: 'autotier: a client app refused the profile it was deployed with'
    severity: 2
    query: 'AppTraces | where Message startswith "autotier.clientProfileRefused:" ${clientOfApp}'
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in alertRules: {
    name: 'ar-${name}-${rule.key}'
    location: location
    tags: tags
    properties: {
      displayName: rule.title
      severity: rule.severity
      enabled: true
      scopes: [workspace.id]
      evaluationFrequency: 'PT15M'
      windowSize: 'PT1H'
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            dimensions: [{ name: 'client', operator: 'Include', values: ['*'] }]
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      autoMitigate: false
      actions: { actionGroups: empty(alertEmail) ? [] : [actionGroup.id] }
    }
  }
]

// The MSP's shared sender domain (optional): one verification, one reputation, every client's mail.
resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = if (!empty(sharedEmailDomain)) {
  name: '${abbrs.emailService}${name}'
  location: 'global'
  tags: tags
  properties: { dataLocation: emailDataLocation }
}

resource sharedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (!empty(sharedEmailDomain)) {
  parent: emailService
  name: empty(sharedEmailDomain) ? 'unused' : sharedEmailDomain
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

output LOG_ANALYTICS_WORKSPACE_ID string = workspace.id
output MSP_EMAIL_DOMAIN object = empty(sharedEmailDomain) ? {} : { domainId: sharedDomain!.id, senderDomain: sharedEmailDomain }
output MSP_EMAIL_DOMAIN_RECORDS object = empty(sharedEmailDomain) ? {} : sharedDomain!.properties.verificationRecords
