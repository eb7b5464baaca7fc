using System.Net;

namespace Autotier.Application.Psa;

/// <summary>
/// A PSA call that failed for good (after the bounded retries of throttling and server errors).
/// The message names the vendor, the method, the path without its query (queries carry addresses)
/// and the status: never the credentials, never a body.
/// </summary>
public sealed class PsaApiException : Exception
{
    public PsaApiException()
    {
    }

    public PsaApiException(string message) : base(message)
    {
    }

    public PsaApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public PsaApiException(string vendor, int status, string message, Exception? inner = null) : base(message, inner)
    {
        Vendor = vendor;
        Status = status;
    }

    public string Vendor { get; } = "";

    /// <summary>The HTTP status; 0 when no answer came (timeout, connection refused).</summary>
    public int Status { get; }

    /// <summary>The PSA refused autotier's credentials: retrying will not help, a person must fix the settings.</summary>
    public bool IsAuthFailure => Status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden;
}
