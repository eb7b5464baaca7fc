namespace Autotier.Domain.Classification;

/// <summary>
/// The six category ids. They are strings on the wire (API, CLI JSON lines, model files, PSA notes)
/// exactly as the TypeScript app writes them, so they stay strings here rather than an enum whose
/// names would have to be mapped at every edge.
/// </summary>
public static class Categories
{
    public const string PasswordReset = "password_reset";
    public const string SoftwareAccess = "software_access";
    public const string VpnRemoteAccess = "vpn_remote_access";
    public const string PrinterPeripheral = "printer_peripheral";
    public const string SoftwareError = "software_error";
    public const string Engineering = "engineering";

    /// <summary>In the TypeScript order (reports and per-class figures list them this way).</summary>
    public static IReadOnlyList<string> All { get; } =
        [PasswordReset, SoftwareAccess, VpnRemoteAccess, PrinterPeripheral, SoftwareError, Engineering];

    /// <summary>Categories a documented playbook may resolve without an engineer.</summary>
    public static IReadOnlySet<string> Automatable { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        PasswordReset, SoftwareAccess, VpnRemoteAccess, PrinterPeripheral, SoftwareError,
    };

    public static bool IsCategory(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    public static bool IsAutomatable(string? value) => value is not null && Automatable.Contains(value);
}
