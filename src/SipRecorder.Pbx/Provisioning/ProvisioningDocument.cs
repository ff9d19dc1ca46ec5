namespace SipRecorder.Pbx.Provisioning;

// The JSON shape of the provisioning file. Enumerations are read as strings so that a bad value can be
// reported with the entry it belongs to, rather than as a serializer error.

internal sealed class ProvisioningDocument
{
    public List<OrganizationEntry>? Organizations { get; set; }
    public List<TrunkEntry>? Trunks { get; set; }
}

internal sealed class OrganizationEntry
{
    public string? Name { get; set; }
    public long? StorageLimitMb { get; set; }
    public string? PauseCode { get; set; }
    public string? ResumeCode { get; set; }
    public List<UserEntry>? Users { get; set; }
}

internal sealed class UserEntry
{
    public string? Name { get; set; }
    public string? Login { get; set; }
    public string? Password { get; set; }
    public string? Role { get; set; }
    public long? StorageLimitMb { get; set; }
    public List<ExtensionEntry>? Extensions { get; set; }
}

internal sealed class ExtensionEntry
{
    public string? Number { get; set; }
    public string? SipPassword { get; set; }
    public string? Kind { get; set; }
    public string? Srtp { get; set; }
    public CallerIdEntry? CallerId { get; set; }
    public RecordingSettingsEntry? Recording { get; set; }
}

internal sealed class CallerIdEntry
{
    public string? Name { get; set; }
    public string? Number { get; set; }
}

internal sealed class RecordingSettingsEntry
{
    public bool? Enabled { get; set; }
    public string? StartMode { get; set; }
    public string? Prompt { get; set; }
    public int? AutoDeleteDays { get; set; }
    public string? Format { get; set; }
    public string? PauseMode { get; set; }
    public bool? MaskDtmf { get; set; }
}

internal sealed class TrunkEntry
{
    public string? Name { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? Transport { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool? Register { get; set; }
    public string? Srtp { get; set; }
    public Dictionary<string, string>? Dids { get; set; }
}
