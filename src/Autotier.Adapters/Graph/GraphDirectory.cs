using System.Globalization;
using Autotier.Application.Ports;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using SubscribedSku = Autotier.Application.Ports.SubscribedSku;
using TemporaryAccessPass = Autotier.Application.Ports.TemporaryAccessPass;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.AssignLicense;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using AzureIdentityAuthenticationProvider = Microsoft.Kiota.Authentication.Azure.AzureIdentityAuthenticationProvider;

namespace Autotier.Adapters.Graph;

/// <summary>How a <see cref="GraphDirectory"/> calls Graph: where, and how patiently.</summary>
public sealed record GraphDirectoryOptions
{
    public const string DefaultBaseUrl = "https://graph.microsoft.com";

    /// <summary>Graph without the version; a local server in tests and the local host's emulator.</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>A deadline for each attempt, so one hung call cannot hold a Durable activity.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after 429/503/504 (the SDK's RetryHandler, which honours Retry-After).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Seconds before a retry when Graph gives no Retry-After (doubled each time).</summary>
    public int RetryDelaySeconds { get; init; } = 1;

    /// <summary>A longer Retry-After than this is not waited out inside one activity: the ticket goes to a person.</summary>
    public int MaxWaitSeconds { get; init; } = 30;
}

/// <summary>
/// The client's Entra ID through Microsoft Graph v1.0, on the Microsoft Graph .NET SDK
/// (<see cref="GraphServiceClient"/>) with its retry handler, a bearer token from Azure.Identity and
/// a per-attempt timeout. Every failure becomes a <see cref="DirectoryException"/> that says what
/// went wrong without echoing tokens or passes (the TypeScript GraphDirectory's wording).
/// </summary>
public sealed class GraphDirectory : IDirectory, IDisposable
{
    public const string Scope = "https://graph.microsoft.com/.default";

    private static readonly string[] UserFields =
    [
        "id", "userPrincipalName", "mail", "displayName", "accountEnabled", "onPremisesSyncEnabled", "onPremisesDomainName",
        "onPremisesSamAccountName", "officeLocation", "usageLocation", "assignedLicenses",
    ];

    private readonly HttpClient http;
    private readonly GraphServiceClient client;

    /// <param name="credential">Null: no token is sent (the local emulator asks for none).</param>
    public GraphDirectory(TokenCredential? credential, GraphDirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handlers = GraphClientFactory.CreateDefaultHandlers(new GraphClientOptions());
        // The SDK's own retry handler, told how long it may wait: Graph's Retry-After can be minutes,
        // and an activity that sleeps that long holds a worker; longer waits go to a person instead.
        var maxWait = options.MaxWaitSeconds;
        var retry = new RetryHandlerOption
        {
            MaxRetry = options.MaxRetries,
            Delay = options.RetryDelaySeconds,
            ShouldRetry = (_, _, response) => Retryable(response) && (RetryAfterSeconds(response.Headers.RetryAfter) ?? 0) <= maxWait,
        };
        var at = handlers.ToList().FindIndex(h => h is RetryHandler);
        if (at >= 0) handlers[at] = new RetryHandler(retry);
        else handlers.Add(new RetryHandler(retry));
        // Innermost, so each attempt (not the whole call with its retries) has the deadline.
        handlers.Add(new AttemptTimeoutHandler(options.AttemptTimeout));
        http = GraphClientFactory.Create(handlers);
        // Each attempt has its deadline and the retries are bounded; HttpClient's own 100 s on the
        // whole call would cut off a legitimate retry after a Retry-After wait.
        http.Timeout = Timeout.InfiniteTimeSpan;
        var baseUrl = options.BaseUrl.TrimEnd('/');
        IAuthenticationProvider auth = credential is null
            ? new AnonymousAuthenticationProvider()
            // The token goes to the one host the client's connection names, and nowhere else (the
            // Graph package's own provider only allows Microsoft's hosts, which rules out the emulator).
            : new AzureIdentityAuthenticationProvider(credential, [new Uri(baseUrl).Host], null, false, [Scope]);
        client = new GraphServiceClient(http, auth, baseUrl + "/v1.0");
    }

    public void Dispose()
    {
        client.Dispose();
        http.Dispose();
    }

    public async Task<DirectoryUser?> FindUserAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var address = email.Trim().ToLowerInvariant();
        var filter = $"mail eq {OData(address)} or userPrincipalName eq {OData(address)} or proxyAddresses/any(p:p eq {OData("smtp:" + address)})";
        var found = await CallAsync("find the user", () => client.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = filter;
            r.QueryParameters.Select = UserFields;
            r.QueryParameters.Top = 2;
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        var users = found?.Value ?? [];
        // Two accounts answering to one address is a question for a person, not a guess.
        if (users.Count != 1 || users[0].Id is not { } id) return null;
        var u = users[0];
        return new DirectoryUser(
            id, u.UserPrincipalName ?? "", u.AccountEnabled != false,
            [.. (u.AssignedLicenses ?? []).Where(l => l.SkuId is not null).Select(l => l.SkuId!.Value.ToString())])
        {
            Mail = u.Mail,
            DisplayName = u.DisplayName,
            OnPremises = u.OnPremisesSyncEnabled == true ? new OnPremisesAccount(u.OnPremisesDomainName, u.OnPremisesSamAccountName) : null,
            OfficeLocation = u.OfficeLocation,
            UsageLocation = u.UsageLocation,
        };
    }

    public async Task<SignInRegistration> RegistrationAsync(string userId, CancellationToken cancellationToken)
    {
        var r = await CallAsync("read the sign-in registration", () =>
            client.Reports.AuthenticationMethods.UserRegistrationDetails[userId].GetAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return new SignInRegistration(
            r?.IsSsprRegistered == true, r?.IsSsprEnabled == true, r?.IsMfaRegistered == true,
            [.. (r?.MethodsRegistered ?? []).OfType<string>()]);
    }

    public async Task<IReadOnlyList<string>> VerifiedEmailsAsync(string userId, CancellationToken cancellationToken)
    {
        var methods = await CallAsync("read the registered email methods", () =>
            client.Users[userId].Authentication.EmailMethods.GetAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. (methods?.Value ?? []).Select(m => m.EmailAddress).OfType<string>()];
    }

    public async Task<TemporaryAccessPass> CreateTemporaryAccessPassAsync(string userId, int lifetimeMinutes, bool usableOnce, CancellationToken cancellationToken)
    {
        var t = await CallAsync("create a Temporary Access Pass", () =>
            client.Users[userId].Authentication.TemporaryAccessPassMethods.PostAsync(
                new TemporaryAccessPassAuthenticationMethod { LifetimeInMinutes = lifetimeMinutes, IsUsableOnce = usableOnce },
                cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        if (t?.Id is not { } id || t.TemporaryAccessPass is not { } pass)
            throw new DirectoryException(DirectoryFailure.Unavailable, "Microsoft Graph answered without a pass (create a Temporary Access Pass)");
        return new TemporaryAccessPass(id, pass, t.LifetimeInMinutes ?? lifetimeMinutes, t.IsUsableOnce ?? usableOnce);
    }

    public async Task<IReadOnlyList<SubscribedSku>> SubscribedSkusAsync(CancellationToken cancellationToken)
    {
        var skus = await CallAsync("read the licences", () => client.SubscribedSkus.GetAsync(cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. (skus?.Value ?? []).Where(s => s.SkuId is not null).Select(s => new SubscribedSku(
            s.SkuId!.Value.ToString(), s.SkuPartNumber ?? "", s.PrepaidUnits?.Enabled ?? 0, s.ConsumedUnits ?? 0))];
    }

    public async Task AssignLicenceAsync(string userId, string skuId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(skuId, out var sku))
            throw new DirectoryException(DirectoryFailure.Rejected, $"the licence id {skuId} is not a GUID (assign the licence)");
        await CallAsync("assign the licence", () => client.Users[userId].AssignLicense.PostAsync(new AssignLicensePostRequestBody
        {
            AddLicenses = [new AssignedLicense { SkuId = sku, DisabledPlans = [] }],
            RemoveLicenses = [],
        }, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AddGroupMemberAsync(string groupId, string userId, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("add the group member", async () =>
            {
                await client.Groups[groupId].Members.Ref.PostAsync(
                    new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Uri.EscapeDataString(userId)}" },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DirectoryException e) when (e.Status == 400 && e.Message.Contains("already exist", StringComparison.OrdinalIgnoreCase))
        {
            // Graph answers 400 "added object references already exist" for an existing member.
            return false;
        }
    }

    /// <summary>An OData string literal: quotes doubled, so an address cannot end the filter's string.</summary>
    private static string OData(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static bool Retryable(HttpResponseMessage response) =>
        (int)response.StatusCode is 429 or 503 or 504;

    private static int? RetryAfterSeconds(System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter) =>
        retryAfter?.Delta is { } delta ? (int)Math.Ceiling(delta.TotalSeconds)
        : retryAfter?.Date is { } date ? Math.Max(0, (int)Math.Ceiling((date - DateTimeOffset.UtcNow).TotalSeconds))
        : null;

    private static async Task<T> CallAsync<T>(string what, Func<Task<T>> request, CancellationToken cancellationToken)
    {
        try
        {
            return await request().ConfigureAwait(false);
        }
        // Only the caller's own cancellation passes through; any other (a deadline) is Graph not answering.
        catch (Exception e) when (e is not DirectoryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw ToDirectoryException(what, e);
        }
    }

    private static DirectoryException ToDirectoryException(string what, Exception e)
    {
        switch (e)
        {
            case AggregateException { InnerExceptions.Count: > 0 } many when many.InnerExceptions[^1] is ApiException last:
                // The retry handler gave up: the last answer says why.
                return ToDirectoryException(what, last);
            case TimeoutException or TaskCanceledException:
                return new DirectoryException(DirectoryFailure.Timeout, $"Microsoft Graph did not answer in time ({what})", inner: e);
            case AuthenticationFailedException or CredentialUnavailableException:
                // The identity library's message names the tenant and app, never the secret.
                return new DirectoryException(DirectoryFailure.Rejected,
                    $"could not sign in to the client's tenant for Microsoft Graph ({FirstLine(e.Message)})", inner: e);
            case ApiException api when api.ResponseStatusCode > 0:
                return FromAnswer(what, api);
            default:
                return new DirectoryException(DirectoryFailure.Unavailable,
                    $"Microsoft Graph could not be reached ({what}): {FirstLine(e.Message)}", inner: e);
        }
    }

    private static DirectoryException FromAnswer(string what, ApiException api)
    {
        var status = api.ResponseStatusCode;
        int? seconds = api.ResponseHeaders.TryGetValue("Retry-After", out var values) || api.ResponseHeaders.TryGetValue("retry-after", out values)
            ? values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (int?)null).FirstOrDefault(s => s is not null)
            : null;
        if (status == 429)
            return new DirectoryException(DirectoryFailure.Throttled,
                $"Microsoft Graph is throttling requests ({what}){(seconds is null ? "" : $"; it asked to wait {seconds} s")}", status, seconds, api);
        if (status >= 500)
            return new DirectoryException(DirectoryFailure.Unavailable, $"Microsoft Graph answered {status} ({what})", status, seconds, api);
        var (code, message) = api is ODataError o ? (o.Error?.Code, o.Error?.Message) : (null, FirstLine(api.Message));
        return new DirectoryException(DirectoryFailure.Rejected,
            $"Microsoft Graph refused to {what} ({status}{(code is null ? "" : " " + code)}: {message})", status, inner: api);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Cancels an attempt that has not answered within its deadline, as a <see cref="TimeoutException"/>.</summary>
    private sealed class AttemptTimeoutHandler(TimeSpan timeout) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                return await base.SendAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("the attempt timed out", e);
            }
        }
    }
}
