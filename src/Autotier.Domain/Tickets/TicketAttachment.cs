namespace Autotier.Domain.Tickets;

/// <summary>A file that came with the ticket (a mail's attachment), kept in Blob storage under <paramref name="Blob"/>.</summary>
public sealed record TicketAttachment(string Filename, string ContentType, long Size, string Blob);
