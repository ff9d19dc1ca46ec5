namespace SipRecorder.Server.Configuration;

// Configuration sections; the key names are fixed because operators and test scripts set them
// (appsettings.json, environment variables such as Sip__Port, or --Sip:Port=5070).

public sealed class SipOptions
{
    public string ListenAddress { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 5060;
    public string Domain { get; set; } = "";
    /// <summary>Digest challenges in preference order; MD5 first because many phones answer only the topmost.</summary>
    public string DigestAlgorithms { get; set; } = "MD5,SHA-256";
}

public sealed class MediaOptions
{
    /// <summary>The address written into SDP; empty means the SIP listen address, or 127.0.0.1 when that is 0.0.0.0.</summary>
    public string Address { get; set; } = "";
    public int PortMin { get; set; } = 10000;
    public int PortMax { get; set; } = 20000;
}

public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = "./data";
}

public sealed class ProvisioningOptions
{
    public string File { get; set; } = "";
}

public sealed class RecordingOptions
{
    public string Format { get; set; } = "wav";
}
