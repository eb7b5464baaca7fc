using Autotier.Domain.Classification;

namespace Autotier.Domain.Playbooks;

/// <summary>
/// What a playbook promises, written down so that engineers, the README and the escalation package
/// read the same thing: when it may run, what it does, what the requester hears, how success is
/// confirmed, and what an engineer gets when it cannot finish (the TypeScript PLAYBOOK_CONTRACTS).
/// </summary>
public sealed record PlaybookContract(
    string Category,
    string Name,
    IReadOnlyList<string> Preconditions,
    IReadOnlyList<string> Actions,
    string RequesterIsTold,
    string ConfirmedBy,
    string OnFailure);

public static class PlaybookContracts
{
    private const string Confirmation = "The requester answers \"Did this resolve your issue?\" (signed links or a reply).";

    public static PlaybookContract PasswordReset { get; } = new(
        Categories.PasswordReset,
        "MFA-verified password reset",
        [
            "The requester's address matches exactly one user in the client's directory.",
            "The account is enabled and cloud-managed (or on-premises with password writeback, and not locked).",
            "The user is registered for self-service reset, or for MFA with a verified contact email.",
            // Issue #32, fix 9: a pass changes the account, so the requester must own the address.
            "For a Temporary Access Pass: the requester is proven to own the address (signed in, mail from that mailbox, or a confirmation link clicked).",
        ],
        [
            "Find the user and read their sign-in registration in Microsoft Graph.",
            "Registered for self-service reset: send the self-service reset steps (Microsoft checks MFA).",
            "Otherwise: create a one-time Temporary Access Pass and send it only to the verified contact email.",
        ],
        "The steps to reset their own password, or where the one-time pass went. Never a password.",
        Confirmation,
        "Escalate with the account state (enabled, on-premises domain and account name, registration) and why automation stopped.");

    public static PlaybookContract SoftwareAccess { get; } = new(
        Categories.SoftwareAccess,
        "Licence or group access",
        [
            "The request names a product in the client's catalogue, marked self-service.",
            "Its monthly cost is within the client's approval limit.",
            "The requester's address matches exactly one user in the client's directory.",
            "For a licence: a free seat (subscribedSkus enabled minus consumed).",
            "The requester is proven to own the address (signed in, mail from that mailbox, or a confirmation link clicked).",
        ],
        [
            "Assign the licence, or add the user to the group that grants access.",
            "Record who, what, when and why in the audit log.",
        ],
        "What was granted and how to start using it.",
        Confirmation,
        "Escalate saying why: not in the catalogue, not self-service, needs approval, no free seat, or what Graph answered.");

    public static PlaybookContract VpnRemoteAccess { get; } = new(
        Categories.VpnRemoteAccess,
        "The client's VPN guide",
        ["A guide for the client's VPN product (knowledge base or built in)."],
        ["Send the guide for that VPN product, with its pictures."],
        "The steps for their own VPN app.",
        Confirmation,
        "Escalate with the guide that was tried and the answer.");

    public static PlaybookContract PrinterPeripheral { get; } = new(
        Categories.PrinterPeripheral,
        "The printer guide for the requester's site",
        ["A guide that fits the printer at the requester's site, or a general one."],
        ["Send the guide for that printer model, with its pictures."],
        "The steps for the printer they use.",
        Confirmation,
        "Escalate with the guide that was tried and the answer.");

    /// <summary>
    /// Peripherals that are not printers (the classifier names the device): the guide for that device,
    /// never a printer's. The C# port adds it; the TypeScript app sent the printer guide to a mouse.
    /// </summary>
    public static PlaybookContract Peripheral { get; } = new(
        Categories.PrinterPeripheral,
        "The guide for the device named",
        ["The ticket names a peripheral other than a printer (scanner, mouse, keyboard, screen, dock, headset, desk phone), or none."],
        ["Send the client's article for that device, else the built-in steps for it (a general peripheral guide when none is named)."],
        "The steps for the device they wrote about.",
        Confirmation,
        "Escalate with the guide that was tried and the answer.");

    public static PlaybookContract SoftwareError { get; } = new(
        Categories.SoftwareError,
        "Documented fix for a known error",
        ["A knowledge-base article whose tags match the error in the request."],
        ["Send the article's fix, with its pictures."],
        "The documented fix, step by step.",
        Confirmation,
        "Escalate: no documented fix matched, or the fix did not work.");

    /// <summary>The contracts of the five automatable categories (the device guides share the peripheral category).</summary>
    public static IReadOnlyList<PlaybookContract> All { get; } =
        [PasswordReset, SoftwareAccess, VpnRemoteAccess, PrinterPeripheral, Peripheral, SoftwareError];
}
