// One file per client. Deploy with:
//   az deployment sub create --location uksouth --template-file infra/main.bicep \
//     --parameters infra/clients/example-dental.bicepparam \
//     --parameters linkSigningKey=$LINK_SIGNING_KEY psaSecret=$PSA_SECRET
using '../main.bicep'

param clientId = 'example-dental'
param clientName = 'Example Dental Group'
param location = 'uksouth'
param slaTier = 'standard'
param businessHours = {
  timeZone: 'Europe/London'
  days: [1, 2, 3, 4, 5]
  start: '08:00'
  end: '18:00'
}
param psa = {
  type: 'connectwise'
  baseUrl: 'https://api-eu.myconnectwise.net'
  companyId: 'exampledental'
}
param supportMailbox = 'support@exampledental.example'
param customEmailDomain = ''
param alwaysReadyHttp = 1
param alwaysReadyDurable = 1
// Secrets are never written here: pass linkSigningKey and psaSecret on the command line from your
// secret store (the workflow reads them from GitHub environment secrets).
param linkSigningKey = readEnvironmentVariable('LINK_SIGNING_KEY')
param psaSecret = readEnvironmentVariable('PSA_SECRET', '')
param webhookSecret = readEnvironmentVariable('WEBHOOK_SECRET', '')
param tags = { owner: 'msp-ops' }
