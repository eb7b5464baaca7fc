using System.Text;

namespace Autotier.Adapters.Files;

/// <summary>
/// Writes a whole file or nothing: a temporary file beside it, renamed into place at the end, so a
/// reader (or a command that fails half-way) never leaves or sees half a file. The one way the CLI,
/// the KB export and the model cache write files.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, string content) =>
        Write(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        try
        {
            using (var file = File.Create(temporary)) file.Write(content);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
