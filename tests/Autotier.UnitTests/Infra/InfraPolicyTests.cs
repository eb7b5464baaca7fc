using System.Text.RegularExpressions;
using Xunit;
using static Autotier.UnitTests.Infra.InfraFiles;

namespace Autotier.UnitTests.Infra;

/// <summary>
/// The infra policy tests of the TypeScript app (tests/unit/infra/infra.test.ts), ported now that
/// infra/ deploys the C# app, with the C# deployment's own rules added: Flex Consumption on
/// dotnet-isolated 10.0, always-ready off by default, sign-in configured in Bicep, the mail data
/// location a parameter.
/// </summary>
public sealed class InfraPolicyTests
{
    private static readonly string Main = Read("infra", "main.bicep");
    private static readonly string App = Read("infra", "modules", "app.bicep");
    private static readonly string FunctionApp = Read("infra", "modules", "function-app.bicep");
    private static readonly string Communication = Read("infra", "modules", "communication.bicep");

    [Fact]
    public void Storage_accounts_allow_no_shared_keys_public_blobs_or_old_tls()
    {
        var accounts = All("Microsoft.Storage/storageAccounts");
        Assert.NotEmpty(accounts);
        foreach (var (file, body) in accounts)
        {
            Assert.True(body.Contains("allowSharedKeyAccess: false", StringComparison.Ordinal), $"{file}: shared keys allowed");
            Assert.True(body.Contains("allowBlobPublicAccess: false", StringComparison.Ordinal), $"{file}: public blobs");
            Assert.True(body.Contains("minimumTlsVersion: 'TLS1_2'", StringComparison.Ordinal), $"{file}: TLS");
        }
    }

    [Fact]
    public void No_secret_is_held_in_plain_text()
    {
        Regex[] leaks = [new("AccountKey=", RegexOptions.IgnoreCase), new("SharedAccessSignature", RegexOptions.IgnoreCase), new(@"listKeys\("),
            new(@"listConnectionStrings?\("), new("accesskey=", RegexOptions.IgnoreCase), new(@"password\s*[:=]\s*'[^']+'", RegexOptions.IgnoreCase)];
        foreach (var f in BicepFiles)
        {
            var text = File.ReadAllText(f);
            foreach (var leak in leaks) Assert.False(leak.IsMatch(text), $"{Rel(f)} matches {leak}");
        }
        // In parameter files nothing that looks like a secret gets a literal: every value (or member) comes from the environment.
        foreach (var f in BicepFiles.Where(x => x.EndsWith(".bicepparam", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(f);
            foreach (Match m in Regex.Matches(text, @"^param (\w+) = (.+)$", RegexOptions.Multiline))
            {
                if (!Secretish(m.Groups[1].Value)) continue;
                var values = m.Groups[2].Value.Trim() == "{"
                    ? Regex.Matches(text[(m.Index + m.Length)..].Split("\n}")[0], @"^\s*\w+: (.+)$", RegexOptions.Multiline).Select(v => v.Groups[1].Value).ToList()
                    : [m.Groups[2].Value];
                Assert.NotEmpty(values);
                foreach (var v in values) Assert.True(v.StartsWith("readEnvironmentVariable(", StringComparison.Ordinal), $"{Rel(f)}: {m.Groups[1].Value} is given a literal");
            }
        }
    }

    private static bool Secretish(string name) => Regex.IsMatch(name, "secret|password|token|signingkey|opskey", RegexOptions.IgnoreCase);

    [Fact]
    public void Every_secret_looking_parameter_is_secure()
    {
        foreach (var f in BicepFiles.Where(x => x.EndsWith(".bicep", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(f);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = Regex.Match(lines[i], @"^param (\w+) (string|object)");
                if (!m.Success || !Secretish(m.Groups[1].Value) || m.Groups[1].Value.EndsWith("name", StringComparison.OrdinalIgnoreCase) || m.Groups[1].Value.EndsWith("names", StringComparison.OrdinalIgnoreCase)) continue;
                var decorators = string.Join('\n', lines[Math.Max(0, i - 3)..i]);
                Assert.True(decorators.Contains("@secure()", StringComparison.Ordinal), $"{Rel(f)}: param {m.Groups[1].Value} is not @secure()");
            }
        }
    }

    [Fact]
    public void Every_secret_app_setting_is_a_key_vault_reference_resolved_with_the_app_identity()
    {
        var settings = AppSettings();
        // AUTOTIER_OPENAI_DAILY_TOKENS is a budget (a count of tokens), not a secret; the OpenAI key stays empty (the identity signs in).
        var secretish = settings.Where(s => Regex.IsMatch(s.Key, "SECRET|PASSWORD|TOKEN(?!S$)|SIGNING_KEY|_KEY$")).ToList();
        Assert.True(secretish.Count >= 5, string.Join(", ", secretish.Select(s => s.Key)));
        foreach (var (name, value) in secretish)
            Assert.True(value.Contains("kvRef(", StringComparison.Ordinal) || value == "''", $"{name} does not use a Key Vault reference: {value}");
        Has(FunctionApp,
            "func kvRef(vaultUri string, secret string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secret})'",
            "keyVaultReferenceIdentity: identityId");
        Assert.Equal("empty(opsKeySecretName) ? '' : kvRef(keyVaultUri, opsKeySecretName)", settings["AUTOTIER_OPS_KEY"]);
    }

    [Fact]
    public void The_alert_channels_and_the_ops_key_stay_in_key_vault_from_the_environment()
    {
        Assert.Equal("empty(notifySecretName) ? '' : kvRef(keyVaultUri, notifySecretName)", AppSettings()["AUTOTIER_NOTIFY"]);
        foreach (var (param, files) in new[] { ("notifyChannels", new[] { "main.bicep", "modules/app.bicep", "modules/keyvault.bicep" }), ("opsKey", new[] { "main.bicep", "modules/app.bicep", "modules/keyvault.bicep" }) })
        {
            foreach (var file in files)
                Assert.Matches(new Regex($@"@secure\(\)\s*(@description\([^\n]*\)\s*)?param {param} string"), Read("infra", file));
        }
        var vault = Read("infra", "modules", "keyvault.bicep");
        Assert.Matches(@"resource notifyKey 'Microsoft\.KeyVault/vaults/secrets@[^']+' = if \(!empty\(notifyChannels\)\)", vault);
        Assert.Matches(@"resource opsKeySecret 'Microsoft\.KeyVault/vaults/secrets@[^']+' = if \(!empty\(opsKey\)\)", vault);
    }

    [Fact]
    public void Every_resource_that_needs_one_has_an_identity_and_local_auth_is_off()
    {
        foreach (var (file, body) in All("Microsoft.Web/sites"))
            Assert.Matches(new Regex(@"identity: \{\s*type: 'UserAssigned'"), body);
        foreach (var (file, body) in All("Microsoft.KeyVault/vaults")) Assert.True(body.Contains("enableRbacAuthorization: true", StringComparison.Ordinal), file);
        foreach (var (file, body) in All("Microsoft.Insights/components")) Assert.True(body.Contains("DisableLocalAuth: true", StringComparison.Ordinal), file);
        foreach (var (file, body) in All("Microsoft.OperationalInsights/workspaces")) Assert.True(body.Contains("disableLocalAuth: true", StringComparison.Ordinal), file);
        foreach (var (file, body) in All("Microsoft.Communication/communicationServices")) Assert.True(body.Contains("disableLocalAuth: true", StringComparison.Ordinal), file);
        Assert.Contains("authentication: { type: 'UserAssignedIdentity'", FunctionApp, StringComparison.Ordinal);
    }

    [Fact]
    public void The_function_app_is_the_csharp_app_on_flex_consumption()
    {
        Has(FunctionApp,
            "sku: { tier: 'FlexConsumption', name: 'FC1' }",
            "runtime: { name: 'dotnet-isolated', version: '10.0' }");
        Assert.DoesNotContain("name: 'node'", FunctionApp, StringComparison.Ordinal);
        // Flex Consumption refuses these (the runtime and the package come from functionAppConfig),
        // and a storage connection string would carry a key.
        foreach (var refused in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage" })
            Assert.False(AppSettings().ContainsKey(refused), refused);
        Has(FunctionApp,
            "type: 'blobContainer'",
            "tags: union(tags, { 'azd-service-name': 'api' })");
    }

    [Fact]
    public void Always_ready_instances_default_to_none_and_only_the_groups_asked_for_are_kept()
    {
        Assert.Matches(@"@minValue\(0\)\s*param alwaysReadyHttp int = 0", Main);
        Assert.Matches(@"@minValue\(0\)\s*param alwaysReadyDurable int = 0", Main);
        Assert.Contains("], group => group.instanceCount > 0)", FunctionApp, StringComparison.Ordinal);
        foreach (var f in BicepFiles.Where(x => x.EndsWith(".bicepparam", StringComparison.Ordinal)))
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(f), @"^param alwaysReady\w+ = (\d+)", RegexOptions.Multiline))
                Assert.True(m.Groups[1].Value == "0", $"{Rel(f)}: {m.Value} costs money while idle; say why in the file if it must");
        }
    }

    [Fact]
    public void Every_role_assignment_is_in_roles_bicep_named_by_scope_principal_and_role()
    {
        var assignments = All("Microsoft.Authorization/roleAssignments");
        Assert.True(assignments.Count >= 6);
        foreach (var (file, body) in assignments)
        {
            Assert.Equal("infra/modules/roles.bicep", file);
            Assert.Matches(@"name: guid\(\w+\.id, principalId, roles\.\w+\)", body);
        }
        // The app waits for its roles: the site is created after them (the deploy workflow retries while they settle).
        Assert.Matches(@"module functionApp 'function-app\.bicep' = \{\s*name: 'function-app'\s*dependsOn: \[roles\]", App);
    }

    [Fact]
    public void Deployment_outputs_are_upper_snake()
    {
        foreach (var file in new[] { Main, Read("infra", "fleet.bicep") })
        {
            var outputs = Regex.Matches(file, @"^output (\w+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.True(outputs.Count >= 3);
            foreach (var o in outputs) Assert.Matches("^[A-Z][A-Z0-9_]*$", o);
        }
    }

    [Fact]
    public void The_public_base_url_is_the_host_name_azure_gave_the_app()
    {
        Assert.DoesNotContain("azurewebsites.net", FunctionApp, StringComparison.Ordinal);
        Assert.Contains("AUTOTIER_PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}'", FunctionApp, StringComparison.Ordinal);
        Assert.Matches(@"resource settings 'Microsoft\.Web/sites/config@[^']+' = \{\s*parent: site\s*name: 'appsettings'", FunctionApp);
    }

    [Fact]
    public void Optional_parameters_are_read_with_safe_accessors()
    {
        foreach (var (file, text) in new[] { ("function-app.bicep", FunctionApp), ("app.bicep", App), ("communication.bicep", Communication) })
        {
            foreach (Match m in Regex.Matches(text, @"\b(psa|graph|signIn|openAi)\.(\w+)\b(?!\.)"))
                Assert.Fail($"{file}: {m.Value} fails when the parameter leaves it out; use {m.Groups[1].Value}.?{m.Groups[2].Value}");
        }
    }

    [Fact]
    public void A_new_key_vault_name_can_be_taken_while_purge_protection_holds_the_old()
    {
        Assert.Contains("param keyVaultGeneration int = 1", Main, StringComparison.Ordinal);
        Assert.Matches(@"uniqueString\(.*string\(keyVaultGeneration\)\)", App);
        Assert.Contains("name: 'kv${compactId}${vaultToken}'", App, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_mail_domain_is_created_with_its_dns_records_then_linked()
    {
        Assert.Contains("param linkCustomEmailDomain bool = false", Main, StringComparison.Ordinal);
        Has(Communication,
            "useMsp ? [mspEmailDomain.domainId] : sendFromCustom ? [managedDomain!.id, customDomain!.id] : [managedDomain!.id]",
            "output customDomainVerificationRecords object = useCustom ? customDomain!.properties.verificationRecords");
        Assert.Contains("output AUTOTIER_CUSTOM_EMAIL_DOMAIN_RECORDS object", Main, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mail_data_location_is_the_deployments_choice_and_the_sender_domain_may_be_the_msps()
    {
        // Required: no silent default to one geography.
        Assert.Matches(@"@allowed\(\[[^\]]*'Europe'[^\]]*'United States'\]\)\s*param mailDataLocation string\n", Main);
        Assert.DoesNotContain("'Europe'", Communication, StringComparison.Ordinal);
        Assert.Contains("param dataLocation string\n", Communication, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(Communication, @"dataLocation: dataLocation"));
        Assert.Contains("param mspEmailDomain object = {}", Main, StringComparison.Ordinal);
        Has(Communication,
            "resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = if (!useMsp)",
            "'DoNotReply@${mspEmailDomain.senderDomain}'");
        foreach (var f in BicepFiles.Where(x => x.EndsWith(".bicepparam", StringComparison.Ordinal)))
            Assert.Matches(new Regex(@"^param mailDataLocation = '[^']+'", RegexOptions.Multiline), File.ReadAllText(f));
    }

    [Fact]
    public void Acs_delivery_reports_reach_the_app_through_event_grid_without_a_key_once_the_app_exists()
    {
        var events = Read("infra", "modules", "mail-events.bicep");
        Has(events,
            "topicType: 'Microsoft.Communication.CommunicationServices'",
            "endpointType: 'AzureFunction'",
            "resourceId: '${site.id}/functions/acsDeliveryReport'",
            "includedEventTypes: ['Microsoft.Communication.EmailDeliveryReportReceived']");
        Assert.Contains("param mailDeliveryReports bool = false", Main, StringComparison.Ordinal);
        Assert.Contains("module mailEvents 'mail-events.bicep' = if (mailMode == 'acs' && mailDeliveryReports)", App, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_send_mail_is_offered_beside_acs_and_the_durable_task_scheduler_beside_azure_storage()
    {
        Assert.Matches(@"@allowed\(\['acs', 'graph'\]\)\s*param mailMode string = 'acs'", Main);
        Assert.Equal("mailMode", AppSettings()["AUTOTIER_MAIL_MODE"]);
        Assert.Matches(@"@allowed\(\['azureStorage', 'durableTaskScheduler'\]\)\s*param durableBackend string = 'azureStorage'", Main);
        var dts = Read("infra", "modules", "durable-task-scheduler.bicep");
        Has(dts,
            "resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01'",
            "ipAllowlist: ['0.0.0.0/0']");
        Has(FunctionApp,
            "'AzureFunctionsJobHost__extensions__durableTask__storageProvider__type', value: 'azureManaged'",
            "Authentication=ManagedIdentity;ClientID=${identityClientId}");
        Assert.Contains("durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'", Read("infra", "modules", "roles.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_in_is_configured_by_bicep_before_any_principal_header_is_trusted()
    {
        var auth = Assert.Single(Resources(FunctionApp, "Microsoft.Web/sites/config"), b => b.Contains("name: 'authsettingsV2'", StringComparison.Ordinal));
        Assert.Contains("platform: { enabled: true", auth, StringComparison.Ordinal);
        // The API, webhooks, mail links and the anonymous portal must still answer without a sign-in.
        Has(auth,
            "requireAuthentication: false",
            "unauthenticatedClientAction: 'AllowAnonymous'",
            "clientId: signIn.?clientId",
            "requireHttps: true");
        Assert.Contains("resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (useSignIn)", FunctionApp, StringComparison.Ordinal);
        // The portal trusts the principal only when this same template turned authentication on.
        Assert.Equal("portalSignIn && useSignIn ? '1' : '0'", AppSettings()["AUTOTIER_EASY_AUTH"]);
        // The ops pages' switch (WEBSITE_AUTH_ENABLED) is the platform's own, set only when authentication is on: never by us.
        Assert.False(AppSettings().ContainsKey("WEBSITE_AUTH_ENABLED"));
        // The app role the ops handler requires is the one the docs tell the MSP to define.
        Assert.Equal("Ops.Read", Autotier.Functions.Ops.OpsAccessSettings.Role);
        Assert.Contains(Autotier.Functions.Ops.OpsAccessSettings.Role, Read("docs", "deploy-csharp.md"), StringComparison.Ordinal);
    }
}
