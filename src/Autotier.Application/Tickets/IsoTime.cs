using System.Globalization;

namespace Autotier.Application.Tickets;

/// <summary>
/// Times on the public surface as the TypeScript app wrote them (JavaScript's toISOString): UTC,
/// milliseconds, a Z. Outside tests and PSA write-backs compare these strings.
/// </summary>
public static class IsoTime
{
    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
