using System.Text.RegularExpressions;

namespace Autotier.Adapters;

/// <summary>
/// The names autotier gives its tables: <c>&lt;AUTOTIER_TABLE_PREFIX&gt;&lt;base&gt;</c>, as the TypeScript app
/// named them. The rows inside are laid out differently so far (the ticket store's keys); moving a
/// deployment's data from the TypeScript app is the cutover issue's work.
/// </summary>
public sealed partial record StorageNames(string TablePrefix)
{
    public const string DefaultPrefix = "autotier";

    public string Tickets => Table("Tickets");
    public string Clients => Table("Clients");
    public string Outbox => Table("Outbox");
    public string Corrections => Table("Corrections");
    public string AssistantUsage => Table("AssistantUsage");
    public string Kb => Table("Kb");
    public string Resolutions => Table("Resolutions");
    public string Tokens => Table("Tokens");
    public string Incidents => Table("Incidents");
    public string Outcomes => Table("Outcomes");

    /// <summary>The knowledge base's pictures: <c>&lt;prefix in lower case&gt;-kb</c>, as the TypeScript app names the container.</summary>
    public string KbImages => $"{TablePrefix.ToLowerInvariant()}-kb";

    /// <summary>Table names must be alphanumeric, start with a letter, and be 3-63 characters long.</summary>
    private string Table(string baseName)
    {
        var name = TablePrefix + baseName;
        if (!TableName().IsMatch(name)) throw new InvalidOperationException($"invalid table name \"{name}\"");
        return name;
    }

    public static StorageNames FromPrefix(string? prefix)
    {
        prefix ??= DefaultPrefix;
        if (!Prefix().IsMatch(prefix)) throw new InvalidOperationException("AUTOTIER_TABLE_PREFIX must be letters and digits");
        return new StorageNames(prefix);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,40}$")]
    private static partial Regex Prefix();
}
