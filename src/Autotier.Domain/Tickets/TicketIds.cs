using System.Globalization;
using System.Text.RegularExpressions;

namespace Autotier.Domain.Tickets;

/// <summary>Ticket reference numbers as people and URLs carry them (<c>T-1042</c>), and the ids derived from them.</summary>
public static partial class TicketIds
{
    private const long FirstTicketNumber = 1000;

    // [0-9] and \z rather than \d and $: .NET's \d takes any Unicode digit and its $ allows a
    // trailing newline, neither of which the TS pattern /^T-\d{1,12}$/ does.
    [GeneratedRegex(@"^T-[0-9]{1,12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TicketIdPattern { get; }

    public static bool IsTicketId(string value) => value is not null && TicketIdPattern.IsMatch(value);

    /// <summary>The id of the n-th ticket: numbering starts at 1000 so references never look like small counts.</summary>
    public static string FromNumber(long n) => "T-" + (FirstTicketNumber + n).ToString(CultureInfo.InvariantCulture);

    /// <summary>Durable instance ids are derived from ticket ids so that a ticket has exactly one orchestration.</summary>
    public static string OrchestrationInstanceId(string ticketId) => "ticket-" + ticketId;

    /// <summary>The token mails carry in their subject so that replies thread onto the ticket.</summary>
    public static string SubjectToken(string ticketId) => "[#" + ticketId + "]";
}
