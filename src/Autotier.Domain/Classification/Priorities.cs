namespace Autotier.Domain.Classification;

/// <summary>P1 (most urgent) to P4, as strings on the wire like the TypeScript app.</summary>
public static class Priorities
{
    public const string P1 = "P1";
    public const string P2 = "P2";
    public const string P3 = "P3";
    public const string P4 = "P4";

    public static IReadOnlyList<string> All { get; } = [P1, P2, P3, P4];

    public static bool IsPriority(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);
}
