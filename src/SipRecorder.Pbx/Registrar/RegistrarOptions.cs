namespace SipRecorder.Pbx.Registrar;

/// <summary>Registration intervals (RFC 3261 §10.2.1.1, §10.3 step 7).</summary>
public sealed record RegistrarOptions
{
    public int DefaultExpires { get; init; } = 3600;
    public int MinExpires { get; init; } = 60;
    public int MaxExpires { get; init; } = 7200;
}
