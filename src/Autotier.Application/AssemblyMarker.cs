namespace Autotier.Application;
internal static class AssemblyMarker { }
