using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SipRecorder.Sip.Sdp;

/// <summary>o=username sess-id sess-version IN IP4 address (RFC 4566 §5.2).</summary>
public sealed record SdpOrigin(string Username, string SessionId, ulong SessionVersion, string NetworkType, string AddressType, string Address)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpOrigin? origin)
    {
        origin = null;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return false;
        origin = new SdpOrigin(parts[0], parts[1], version, parts[3], parts[4], parts[5]);
        return true;
    }

    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
