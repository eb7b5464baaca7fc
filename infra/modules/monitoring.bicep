// One client's Application Insights, Entra ID only (local auth off), on the MSP's one Log Analytics
// workspace: every client's logs land in one place, where infra/fleet.bicep's workbook and alert
// rules read them once for all clients (docs/deploy-csharp.md, "One view across all clients").
param name string
param location string
param tags object
@description('The MSP\'s Log Analytics workspace (resource id; fleet.bicep\'s LOG_ANALYTICS_WORKSPACE_ID).')
param logAnalyticsWorkspaceId string

var abbrs = loadJsonContent('../abbreviations.json')

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${abbrs.applicationInsights}${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspaceId
    DisableLocalAuth: true
  }
}

output appInsightsName string = insights.name
// The connection string holds no secret: it names the resource; ingestion needs the identity (AAD).
output connectionString string = insights.properties.ConnectionString
