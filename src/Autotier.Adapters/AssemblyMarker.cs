namespace Autotier.Adapters;
internal static class AssemblyMarker { }
