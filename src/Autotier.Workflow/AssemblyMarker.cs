namespace Autotier.Workflow;
internal static class AssemblyMarker { }
