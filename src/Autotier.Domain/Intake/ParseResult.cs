using System.Diagnostics.CodeAnalysis;

namespace Autotier.Domain.Intake;

/// <summary>Either a value or the one error that names what was wrong; never both.</summary>
public sealed record ParseResult<T>
{
    private ParseResult(bool ok, T? value, string? error)
    {
        Ok = ok;
        Value = value;
        Error = error;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Ok { get; }

    public T? Value { get; }

    public string? Error { get; }

#pragma warning disable CA1000 // A factory on the generic type reads best at call sites: ParseResult<NewTicket>.Failure(…).
    public static ParseResult<T> Success(T value) => new(true, value, null);

    public static ParseResult<T> Failure(string error) => new(false, default, error);
#pragma warning restore CA1000
}
