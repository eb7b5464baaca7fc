using Autotier.Adapters.Classification;
using Autotier.Application.Ports;
using Autotier.Domain.Classification.Model;

namespace Autotier.Cli;

/// <summary>The real classifier: the built-in model or a model file, behind the safety screen, danger check and rules.</summary>
internal sealed class BuiltInClassifiers : IClassifierSource
{
    public ITicketClassifier Load(string? modelFile)
    {
        if (modelFile is null) return new ModelClassifier(BuiltInModel.Load());
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(modelFile);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"{modelFile}: no such file", ExitCodes.BadInput);
        }
        try
        {
            return new ModelClassifier(ModelFile.Load(bytes));
        }
        catch (ModelFormatException e)
        {
            throw new CliException($"{modelFile}: {e.Message}", ExitCodes.BadInput);
        }
    }
}
