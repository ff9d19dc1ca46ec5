using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Registrar;

/// <summary>One registered contact of an extension (RFC 3261 §10.3).</summary>
/// <param name="Source">Where the REGISTER came from: calls go there, so phones behind NAT are reachable (RFC 3581).</param>
public sealed record Binding(string Extension, NameAddress Contact, DateTimeOffset Expires, string CallId, uint CSeq, SipEndPoint Source, string? UserAgent)
{
    /// <summary>The URI used to compare contacts (RFC 3261 §19.1.4, simplified to scheme, user, host and port).</summary>
    public string Key => KeyOf(Contact.Uri);

    public static string KeyOf(SipUri uri) => $"{uri.Scheme}:{uri.User}@{uri.Host.ToLowerInvariant()}:{uri.Port ?? 5060}";

    /// <summary>
    /// The proxies the REGISTER came through that asked to stay on the way back (RFC 3327 Path), first hop first: a
    /// request to this contact carries them as its Route set. Empty for a phone that registered directly.
    /// </summary>
    public IReadOnlyList<string> Path { get; init; } = [];
}
