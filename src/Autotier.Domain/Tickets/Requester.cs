namespace Autotier.Domain.Tickets;

/// <summary>The person a ticket is for. The email is lower case once intake has accepted it.</summary>
public sealed record Requester(string? Name, string Email);
