using Azure.Core;

namespace Autotier.TestSupport.Graph;

/// <summary>The token the tests' Graph emulator asks for, and a credential that holds it (no Entra ID involved).</summary>
public sealed class GraphTestCredential : TokenCredential
{
    public const string Token = "directory-test-token";

    public int Requests { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests++;
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
