using Autotier.Application.Ports;
using Autotier.Domain.Classification;
using Autotier.Domain.Playbooks;

namespace Autotier.Application.Playbooks;

/// <summary>
/// Access and licences (the TypeScript softwareAccess.ts): the product named in the request, mapped
/// per client to a licence SKU or a group, granted only when the client's catalogue allows it
/// without approval, a seat is free, and the requester is proven to own the address.
/// </summary>
internal static class SoftwareAccessPlaybook
{
    private const string PersonWillFollowUp = "One of our engineers will follow up with you.";

    public static async Task<PlaybookRun> RunAsync(PlaybookContext ctx)
    {
        var policy = ctx.Request.Client.Access;
        if (policy is null || ctx.Directory is not { } directory)
        {
            var fallback = await ctx.BestGuideAsync(Categories.SoftwareAccess).ConfigureAwait(false);
            if (fallback is null) return ctx.Stop("there is no access guide", PersonWillFollowUp);
            ctx.Findings.Add("The client has no product catalogue or directory connection, so nothing was granted; sent the access steps.");
            return ctx.Guided(fallback);
        }
        var named = PlaybookRules.ProductsNamed(policy.Products, ctx.Text);
        var catalogue = string.Join(", ", policy.Products.Select(p => p.Product));
        if (named.Count == 0)
            return ctx.Stop(
                $"the request names no product in the client's catalogue ({(catalogue.Length > 0 ? catalogue : "empty")}), so it is not on the list automation may grant",
                "We couldn't tell which app you need access to, so one of our engineers will follow up with you.");
        if (named.Count > 1)
            return ctx.Stop(
                $"the request names several products ({string.Join(", ", named.Select(p => p.Product))}); a person should confirm what is needed",
                PersonWillFollowUp);
        var product = named[0];
        var grants = product.Sku is not null ? $"licence {product.Sku}" : $"group {product.GroupId ?? "none"}";
        var cost = product.MonthlyCost is { } c ? $", {PlaybookRules.Number(c)} a month" : "";
        ctx.Findings.Add($"Requested product: {product.Product} ({grants}{cost}).");
        var decision = PlaybookRules.Decide(product, policy);
        if (!decision.Allowed) return ctx.Stop(decision.Reason!, decision.Told);
        try
        {
            var (user, stopped) = await ctx.IdentifyAsync(directory).ConfigureAwait(false);
            if (stopped is not null) return stopped;
            if (product.Sku is { } sku) return await GrantLicenceAsync(ctx, directory, product, sku, user!).ConfigureAwait(false);
            if (product.GroupId is { } group) return await GrantGroupAsync(ctx, directory, product, group, user!).ConfigureAwait(false);
            return ctx.Stop($"the catalogue entry for {product.Product} names neither a licence nor a group", PersonWillFollowUp);
        }
        catch (DirectoryException e)
        {
            return ctx.Stop(e.Message, PlaybookContext.GraphTrouble);
        }
    }

    private static string Why(PlaybookContext ctx, AccessProduct product) =>
        $"Access to {product.Product} requested in {ctx.TicketId} (\"{ctx.Request.Ticket.Subject}\"); self-service in the client's catalogue"
        + (product.MonthlyCost is { } c ? $" at {PlaybookRules.Number(c)} a month, within the approval limit" : "") + ".";

    private static string ProofWhy(string what) => $"granting {what} changes the account, and nothing proves the requester owns the address";

    private static async Task<PlaybookRun> GrantLicenceAsync(
        PlaybookContext ctx, IDirectory directory, AccessProduct product, string partNumber, DirectoryUser user)
    {
        var step = $"{ctx.Request.Step}-licence";
        var skus = await directory.SubscribedSkusAsync(ctx.Ct).ConfigureAwait(false);
        var sku = skus.FirstOrDefault(s => string.Equals(s.SkuPartNumber, partNumber, StringComparison.OrdinalIgnoreCase));
        if (sku is null)
            return ctx.Stop($"the client's tenant has no {partNumber} subscription for {product.Product}", PersonWillFollowUp);
        var action = new PlaybookAction(PlaybookActions.LicenceAssigned, user.UserPrincipalName, $"{partNumber} ({sku.SkuId})");
        // An earlier try of this step assigned it: the same outcome again, not "you already had it".
        if (await ctx.DoneAsync(step).ConfigureAwait(false))
        {
            ctx.Findings.Add($"Assigned {partNumber} to {user.UserPrincipalName}.");
            return ctx.Guided(BuiltInGuides.AccessGranted(product.Product, already: false), action);
        }
        if (user.AssignedSkuIds.Contains(sku.SkuId, StringComparer.OrdinalIgnoreCase))
        {
            ctx.Findings.Add($"{user.UserPrincipalName} already has {partNumber}.");
            return ctx.Guided(BuiltInGuides.AccessGranted(product.Product, already: true));
        }
        ctx.Findings.Add($"{partNumber}: {sku.Consumed} of {sku.Enabled} seats in use.");
        if (sku.Enabled - sku.Consumed <= 0)
            return ctx.Stop(
                $"no free {product.Product} licence ({partNumber}: {sku.Consumed} of {sku.Enabled} in use); buy a seat or free one",
                $"All of your organisation's {product.Product} licences are in use, so one of our engineers will arrange one for you.");
        if (!ctx.Proven) return ctx.NeedProof(ProofWhy($"a {product.Product} licence"));
        await ctx.AuditedAsync(step, action, Why(ctx, product), async () =>
        {
            await directory.AssignLicenceAsync(user.Id, sku.SkuId, ctx.Ct).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        ctx.Findings.Add($"Assigned {partNumber} to {user.UserPrincipalName}.");
        return ctx.Guided(BuiltInGuides.AccessGranted(product.Product, already: false), action);
    }

    private static async Task<PlaybookRun> GrantGroupAsync(
        PlaybookContext ctx, IDirectory directory, AccessProduct product, string groupId, DirectoryUser user)
    {
        var step = $"{ctx.Request.Step}-group";
        var action = new PlaybookAction(PlaybookActions.GroupMemberAdded, user.UserPrincipalName, $"group {groupId} ({product.Product})");
        var added = true;
        if (!await ctx.DoneAsync(step).ConfigureAwait(false))
        {
            if (!ctx.Proven) return ctx.NeedProof(ProofWhy($"access to {product.Product}"));
            added = await ctx.AuditedAsync(step, action, Why(ctx, product),
                () => directory.AddGroupMemberAsync(groupId, user.Id, ctx.Ct)).ConfigureAwait(false);
        }
        ctx.Findings.Add(added
            ? $"Added {user.UserPrincipalName} to group {groupId}."
            : $"{user.UserPrincipalName} was already in group {groupId}.");
        return added
            ? ctx.Guided(BuiltInGuides.AccessGranted(product.Product, already: false), action)
            : ctx.Guided(BuiltInGuides.AccessGranted(product.Product, already: true));
    }
}
