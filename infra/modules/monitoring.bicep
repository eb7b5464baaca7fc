// Logs and telemetry, Entra ID only (local auth off).
param name string
param location string
param tags object

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

output appInsightsName string = insights.name
// The connection string holds no secret: it names the resource; ingestion needs the identity (AAD).
output connectionString string = insights.properties.ConnectionString
