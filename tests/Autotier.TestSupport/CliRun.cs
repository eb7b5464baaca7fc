namespace Autotier.TestSupport;

/// <summary>What one in-process run of the <c>autotier</c> command gave.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The error output's lines (a failure is exactly one).</summary>
    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
