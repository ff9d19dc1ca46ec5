using System.Text.Json;
using System.Text.Json.Serialization;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Provisioning;

/// <summary>
/// Reads the provisioning JSON into a <see cref="DirectorySnapshot"/>. Strict: an unknown field or a bad value
/// stops the load with a message such as <c>organizations[0] "Acme" users[0] "otto" extensions[0] "2003"
/// recording.startMode: "Sometimes" is not one of Never, ConferencesOnly, OnDemand, Always</c>.
/// </summary>
public static class ProvisioningLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static DirectorySnapshot LoadFile(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProvisioningException($"Provisioning file '{path}' cannot be read: {e.Message}", e);
        }
        return Load(json, path);
    }

    public static DirectorySnapshot Load(string json, string source = "provisioning")
    {
        ProvisioningDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<ProvisioningDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ProvisioningException($"{source}: {Describe(e)}", e);
        }
        if (document is null) throw new ProvisioningException($"{source}: the file is empty (null)");
        return new ProvisioningValidator(source).Validate(document);
    }

    private static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        const string unmapped = "could not be mapped to any .NET member";
        if (e.Message.Contains(unmapped, StringComparison.Ordinal))
        {
            var start = e.Message.IndexOf('\'');
            var end = start < 0 ? -1 : e.Message.IndexOf('\'', start + 1);
            var field = end > start ? e.Message[(start + 1)..end] : "?";
            return $"unknown field '{field}' at {path}";
        }
        var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
        return $"invalid value at {path}{line}: expected {(e.Message.Contains("System.String", StringComparison.Ordinal) ? "a string" : e.Message.Contains("Int", StringComparison.Ordinal) ? "a number" : e.Message.Contains("Boolean", StringComparison.Ordinal) ? "true or false" : "a different JSON value")}";
    }
}
