// Logs and telemetry, Entra ID only (local auth off).
param name string
param location string
param tags object
@description('Where the alert rules mail (an ops mailbox); empty: the rules fire in the portal only.')
param alertEmail string = ''

var abbrs = loadJsonContent('../abbreviations.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${abbrs.logAnalyticsWorkspace}${name}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
    features: { disableLocalAuth: true }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${abbrs.applicationInsights}${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// The outcomes at a glance in the portal: the app sends every ticket step as a custom event
// `autotier.outcome` (src/adapters/telemetry/azureMonitor.ts); these charts read them.
resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, insights.id, 'autotier-outcomes')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'autotier outcomes (${name})'
    category: 'workbook'
    sourceId: insights.id
    serializedData: string(loadJsonContent('workbook.json'))
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

// Log search alerts on what the app writes: failed or stuck ticket workflows (the hourly
// housekeeping logs autotier.workflowAlert as an error), deliveries waiting in a poison queue, and
// SLA breaches (outcome events).
var alertRules = [
  {
    key: 'failed-workflows'
    title: 'autotier: a ticket workflow failed, never started or is stuck'
    severity: 1
    query: 'traces | where message has "autotier.workflowAlert"'
  }
  {
    key: 'poison-messages'
    title: 'autotier: intake deliveries or alerts wait in a poison queue'
    severity: 2
    query: 'traces | where severityLevel >= 3 and message has "-poison"'
  }
  {
    key: 'sla-breaches'
    title: 'autotier: a ticket breached its resolution SLA'
    severity: 2
    query: 'customEvents | where name == "autotier.outcome" and tostring(customDimensions["autotier.kind"]) == "sla_breach"'
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
      scopes: [insights.id]
      evaluationFrequency: 'PT15M'
      windowSize: 'PT1H'
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
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

output appInsightsName string = insights.name
// The connection string holds no secret: it names the resource; ingestion needs the identity (AAD).
output connectionString string = insights.properties.ConnectionString
