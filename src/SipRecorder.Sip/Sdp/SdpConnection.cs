using System.Diagnostics.CodeAnalysis;

namespace SipRecorder.Sip.Sdp;

/// <summary>c=IN IP4 192.0.2.1 (RFC 4566 §5.7).</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpConnection? connection)
    {
        connection = null;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3) return false;
        connection = new SdpConnection(parts[0], parts[1], parts[2]);
        return true;
    }

    public static SdpConnection ForAddress(string address) =>
        new("IN", address.Contains(':') ? "IP6" : "IP4", address);

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
