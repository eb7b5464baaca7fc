using Autotier.Domain.Classification;
using Autotier.Adapters.Classification;
using Autotier.Domain.Classification.Model;
using Microsoft.Extensions.Logging;

namespace Autotier.Adapters.Blobs;

/// <summary>
/// Which model classifies a client's tickets: the client's own published model, else the
/// deployment's published one, else the built-in one. A published model whose labels are not all
/// autotier categories, or whose file does not load, is passed over (with a warning) rather than
/// let loose on tickets, as the TypeScript's loadClassifier does.
/// </summary>
public sealed partial class ModelSource(BlobModelStore deployment, Func<string, BlobModelStore> forClient, ILogger<ModelSource> logger)
{
    public async Task<TextClassifier> LoadAsync(string? clientId, CancellationToken cancellationToken)
    {
        if (clientId is not null && await TryLoadAsync(forClient(clientId), cancellationToken) is { } own) return own;
        return await TryLoadAsync(deployment, cancellationToken) ?? BuiltInModel.Load();
    }

    private async Task<TextClassifier?> TryLoadAsync(BlobModelStore store, CancellationToken cancellationToken)
    {
        var published = await store.LoadCurrentAsync(cancellationToken);
        if (published is not { } p) return null;
        var unknown = p.Info.Labels.Where(l => !Categories.IsCategory(l)).ToList();
        if (unknown.Count > 0)
        {
            PassedOver(logger, p.Info.Version, store.Client ?? "deployment", $"labels that are not categories: {string.Join(", ", unknown)}");
            return null;
        }
        try
        {
            var model = ModelFile.Load(p.Model);
            if (model.Labels.Any(l => !Categories.IsCategory(l)))
            {
                PassedOver(logger, p.Info.Version, store.Client ?? "deployment", "its file's labels are not categories");
                return null;
            }
            return model;
        }
        catch (ModelFormatException e)
        {
            PassedOver(logger, p.Info.Version, store.Client ?? "deployment", e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Published model v{Version} ({Owner}) is passed over ({Reason}); using the next model down")]
    private static partial void PassedOver(ILogger logger, int version, string owner, string reason);
}
