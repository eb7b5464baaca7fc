using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;
using PlaybookIds = Autotier.Domain.Classification.Playbooks;

namespace Autotier.Application.Playbooks;

/// <summary>
/// The playbooks that only send a guide (the TypeScript src/playbooks/guides.ts): the client's VPN
/// guide, the printer guide for the requester's site, the guide for the peripheral the ticket names,
/// and the documented fix for a known error.
/// </summary>
internal static class GuidePlaybooks
{
    private const string NoGuideTold = "One of our engineers will look at this for you.";

    public static async Task<PlaybookRun> VpnAsync(PlaybookContext ctx)
    {
        var guide = await ctx.BestGuideAsync(Categories.VpnRemoteAccess).ConfigureAwait(false);
        return guide is null ? ctx.Stop("there is no guide for this request", NoGuideTold) : ctx.Guided(guide);
    }

    public static async Task<PlaybookRun> PrinterAsync(PlaybookContext ctx)
    {
        var site = await RequesterSiteAsync(ctx).ConfigureAwait(false);
        if (site is not null) ctx.Findings.Add($"The requester works at {site}.");
        var article = await ctx.DeviceArticleAsync(Devices.Printer, site).ConfigureAwait(false);
        var guide = article is not null ? Guide.FromArticle(article) : BuiltInGuides.For(Categories.PrinterPeripheral, ctx.Request.Client, site);
        return guide is null ? ctx.Stop("there is no guide for this request", NoGuideTold) : ctx.Guided(guide);
    }

    /// <summary>
    /// A peripheral that is not a printer: the client's article about that device, else the built-in
    /// one; a ticket that names no device gets the general steps, never a printer's.
    /// </summary>
    public static async Task<PlaybookRun> DeviceAsync(PlaybookContext ctx, string playbook, string? device)
    {
        if (device is not null)
        {
            ctx.Findings.Add($"The request is about a {device}.");
            if (await ctx.DeviceArticleAsync(device, null).ConfigureAwait(false) is { } article)
                return ctx.Guided(Guide.FromArticle(article));
        }
        return BuiltInGuides.ForDevice(playbook) is { } guide
            ? ctx.Guided(guide)
            : ctx.Stop("there is no guide for this request", NoGuideTold);
    }

    /// <summary>Software errors: only a documented fix for the error named counts; a generic restart does not.</summary>
    public static async Task<PlaybookRun> KnownErrorAsync(PlaybookContext ctx, Kb.KnowledgeBase kb)
    {
        var article = await kb.KnownErrorAsync(ctx.Request.Client, ctx.Text, ctx.Ct).ConfigureAwait(false);
        if (article is null)
            return ctx.Stop(
                "no documented fix in the knowledge base matches this error",
                "This error needs a closer look, so one of our engineers will pick it up.");
        ctx.Findings.Add($"Known error: the article \"{article.Title}\" matches the request.");
        return ctx.Guided(Guide.FromArticle(article));
    }

    /// <summary>
    /// The requester's site: the client's own list (an RMM or HR export) first, else the office
    /// location in Entra ID. A directory that cannot answer only means a less specific guide.
    /// </summary>
    private static async Task<string?> RequesterSiteAsync(PlaybookContext ctx)
    {
        var email = ctx.Request.Ticket.Requester.Email;
        var listed = (ctx.Request.Client.SystemProfile.UserSites ?? new Dictionary<string, string>())
            .FirstOrDefault(p => string.Equals(p.Key, email, StringComparison.OrdinalIgnoreCase));
        if (listed.Key is not null) return listed.Value;
        if (ctx.Directory is null) return null;
        try
        {
            return (await ctx.Directory.FindUserAsync(email, ctx.Ct).ConfigureAwait(false))?.OfficeLocation;
        }
        catch (DirectoryException)
        {
            return null;
        }
    }

    /// <summary>Whether the peripheral playbook is the printer's (the TypeScript app's only peripheral guide).</summary>
    public static bool IsPrinter(string playbook) => playbook == PlaybookIds.PrinterGuide;
}
