namespace Autotier.Domain;
internal static class AssemblyMarker { }
