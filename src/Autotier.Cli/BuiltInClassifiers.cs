using Autotier.Application.Ports;

namespace Autotier.Cli;

/// <summary>The real classifier: the built-in model or a model file, behind the safety screen and rules.</summary>
internal sealed class BuiltInClassifiers : IClassifierSource
{
    public ITicketClassifier Load(string? modelFile) =>
        throw new CliException("the classifier is not wired into the C# CLI yet");
}
