using SipRecorder.Media.Dtmf;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Provisioning;

/// <summary>Checks every entry and builds the directory; throws on the first wrong field, naming it.</summary>
internal sealed class ProvisioningValidator(string source)
{
    private const long Megabyte = 1024 * 1024;

    private readonly List<Organization> _organizations = [];
    private readonly List<PbxUser> _users = [];
    private readonly List<Extension> _extensions = [];
    private readonly List<Trunk> _trunks = [];

    public DirectorySnapshot Validate(ProvisioningDocument document)
    {
        var organizations = document.Organizations ?? [];
        for (var i = 0; i < organizations.Count; i++) AddOrganization(organizations[i], $"organizations[{i}]");
        var trunks = document.Trunks ?? [];
        for (var i = 0; i < trunks.Count; i++) AddTrunk(trunks[i], $"trunks[{i}]");
        return new DirectorySnapshot(_organizations, _users, _extensions, _trunks);
    }

    private void AddOrganization(OrganizationEntry? entry, string where)
    {
        if (entry is null) Fail(where, "entry is null");
        var name = Required(entry!.Name, where, "name");
        where = $"{where} \"{name}\"";
        if (_organizations.Any(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase))) Fail(where, "name: duplicate organization");
        var pause = entry.PauseCode ?? Organization.DefaultPauseCode;
        var resume = entry.ResumeCode ?? Organization.DefaultResumeCode;
        if (FeatureCodes.Problem(pause) is { } pauseProblem) Fail(where, $"pauseCode: {pauseProblem}");
        if (FeatureCodes.Problem(resume) is { } resumeProblem) Fail(where, $"resumeCode: {resumeProblem}");
        // Each code must mean one thing on the phone: *1 is on-demand recording's.
        if (pause == resume || pause == FeatureCodes.RecordOnDemand || resume == FeatureCodes.RecordOnDemand)
            Fail(where, $"pauseCode, resumeCode: \"{pause}\" and \"{resume}\" must differ from each other and from {FeatureCodes.RecordOnDemand}");
        _organizations.Add(new Organization(name, Limit(entry.StorageLimitMb, where)) { PauseCode = pause, ResumeCode = resume });
        var users = entry.Users ?? [];
        for (var i = 0; i < users.Count; i++) AddUser(users[i], name, $"{where} users[{i}]");
    }

    private void AddUser(UserEntry? entry, string organization, string where)
    {
        if (entry is null) Fail(where, "entry is null");
        var login = Required(entry!.Login, where, "login");
        where = $"{where} \"{login}\"";
        if (_users.Any(u => u.Login.Equals(login, StringComparison.OrdinalIgnoreCase))) Fail(where, "login: duplicate login");
        var name = entry.Name ?? login;
        var password = Required(entry.Password, where, "password");
        var role = ParseEnum<Role>(entry.Role ?? "User", where, "role");
        _users.Add(new PbxUser(login, name, organization, role, PasswordHasher.Hash(password), Limit(entry.StorageLimitMb, where)));
        var extensions = entry.Extensions ?? [];
        for (var i = 0; i < extensions.Count; i++) AddExtension(extensions[i], login, $"{where} extensions[{i}]");
    }

    private void AddExtension(ExtensionEntry? entry, string owner, string where)
    {
        if (entry is null) Fail(where, "entry is null");
        var number = Required(entry!.Number, where, "number");
        where = $"{where} \"{number}\"";
        if (!number.All(char.IsAsciiDigit)) Fail(where, $"number: \"{number}\" must be digits only");
        if (_extensions.Any(e => e.Number == number)) Fail(where, "number: duplicate extension");
        var sipPassword = Required(entry.SipPassword, where, "sipPassword");
        var kind = ParseEnum<ExtensionKind>(entry.Kind ?? "Phone", where, "kind");
        var srtp = ParseEnum<MediaEncryption>(entry.Srtp ?? "Optional", where, "srtp");
        _extensions.Add(new Extension(number, SipCredential.FromPassword(sipPassword), kind, owner, Recording(entry.Recording, $"{where} recording"), srtp)
        {
            CallerId = CallerIdOf(entry.CallerId, $"{where} callerId"),
        });
    }

    private CallerId? CallerIdOf(CallerIdEntry? entry, string where)
    {
        if (entry is null) return null;
        var name = string.IsNullOrWhiteSpace(entry.Name) ? null : entry.Name.Trim();
        var number = string.IsNullOrWhiteSpace(entry.Number) ? null : entry.Number.Trim();
        if (name is not null && !CallerId.IsValidName(name)) Fail(where, $"name: at most {CallerId.MaxNameLength} characters, no quotes, backslashes or control characters");
        if (number is not null && !CallerId.IsValidNumber(number)) Fail(where, $"number: \"{number}\" must be digits, with a leading + if international");
        return name is null && number is null ? null : new CallerId(name, number);
    }

    private RecordingSettings Recording(RecordingSettingsEntry? entry, string where)
    {
        if (entry is null) return RecordingSettings.Off;
        var startMode = ParseEnum<StartMode>(entry.StartMode ?? "Never", where, "startMode");
        var days = entry.AutoDeleteDays ?? 0;
        if (days is < 0 or > RecordingSettings.MaxAutoDeleteDays)
            Fail(where, $"autoDeleteDays: {days} is outside 0-{RecordingSettings.MaxAutoDeleteDays}");
        RecordingFormat? format = entry.Format is null ? null : ParseEnum<RecordingFormat>(entry.Format, where, "format");
        var prompt = string.IsNullOrWhiteSpace(entry.Prompt) ? "default" : entry.Prompt;
        var pauseMode = ParseEnum<PauseMode>(entry.PauseMode ?? "Silence", where, "pauseMode");
        return new RecordingSettings(entry.Enabled ?? true, startMode, prompt, days, format) { PauseMode = pauseMode, MaskDtmf = entry.MaskDtmf ?? false };
    }

    private void AddTrunk(TrunkEntry? entry, string where)
    {
        if (entry is null) Fail(where, "entry is null");
        var name = Required(entry!.Name, where, "name");
        where = $"{where} \"{name}\"";
        var host = Required(entry.Host, where, "host");
        var port = entry.Port ?? 5060;
        if (port is < 1 or > 65535) Fail(where, $"port: {port} is outside 1-65535");
        var transport = (entry.Transport ?? "udp").ToLowerInvariant();
        if (transport is not ("udp" or "tcp" or "tls")) Fail(where, $"transport: \"{entry.Transport}\" is not one of udp, tcp, tls");
        var dids = entry.Dids ?? [];
        foreach (var (did, extension) in dids)
        {
            if (!_extensions.Any(e => e.Number == extension)) Fail(where, $"dids.{did}: extension \"{extension}\" does not exist");
        }
        if (entry.Register == true && string.IsNullOrEmpty(entry.Username)) Fail(where, "username: required when register is true");
        var srtp = ParseEnum<MediaEncryption>(entry.Srtp ?? "Off", where, "srtp");
        _trunks.Add(new Trunk(name, host, port, transport, entry.Username ?? "", entry.Password ?? "", entry.Register ?? false, dids, srtp));
    }

    private long Limit(long? megabytes, string where)
    {
        if (megabytes is null) return long.MaxValue;
        if (megabytes < 0) Fail(where, $"storageLimitMb: {megabytes} must not be negative");
        return megabytes.Value * Megabyte;
    }

    private string Required(string? value, string where, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) Fail(where, $"{field}: is required");
        return value!;
    }

    private T ParseEnum<T>(string value, string where, string field) where T : struct, Enum
    {
        if (EnumName.TryParse<T>(value, out var parsed)) return parsed;
        Fail(where, $"{field}: \"{value}\" is not one of {string.Join(", ", Enum.GetNames<T>())}");
        return default;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string where, string message) => throw new ProvisioningException($"{source}: {where} {message}");
}
