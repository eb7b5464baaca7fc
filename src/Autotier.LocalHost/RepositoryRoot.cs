namespace Autotier.LocalHost;

/// <summary>The checkout the host runs from: the folder holding Functions.sln, found upwards from the binary or the working directory.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (the folder with Functions.sln)");
    }
}
