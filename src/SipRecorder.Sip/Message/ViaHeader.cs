using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>One Via value: <c>SIP/2.0/UDP host:port;branch=z9hG4bK...;rport;received=...</c>.</summary>
public sealed class ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: the branch of a transaction from an RFC 3261 element starts with this cookie.</summary>
    public const string MagicCookie = "z9hG4bK";

    public string Transport { get; set; } = "UDP";
    public string Host { get; set; } = "";
    public int? Port { get; set; }
    public SipParameters Parameters { get; } = new();

    public string? Branch
    {
        get => Parameters["branch"];
        set { if (value is null) Parameters.Remove("branch"); else Parameters.Set("branch", value); }
    }

    /// <summary>Host:port the response goes back to, as written by the sender.</summary>
    public string SentBy => Port is { } port ? $"{Host}:{port}" : Host;

    public static bool TryParse(string? text, [NotNullWhen(true)] out ViaHeader? via)
    {
        via = null;
        if (text is null) return false;
        // "SIP / 2.0 / UDP" may carry linear whitespace around the slashes (RFC 3261 §25.1 SLASH).
        var parts = text.Trim();
        var protocolEnd = FindProtocolEnd(parts);
        if (protocolEnd < 0) return false;
        var protocol = parts[..protocolEnd].Split('/', StringSplitOptions.TrimEntries);
        // Any version reads, so that a request from another SIP version can still be answered 505 (RFC 4475 §3.1.2.16).
        if (protocol.Length != 3 || !protocol[0].Equals("SIP", StringComparison.OrdinalIgnoreCase) || !SipGrammar.IsToken(protocol[1]) || protocol[2].Length == 0)
            return false;
        var rest = parts[protocolEnd..].Trim();
        var semi = rest.IndexOf(';');
        var sentBy = (semi < 0 ? rest : rest[..semi]).Trim();
        // A comment after sent-by is allowed by RFC 3261 grammar only through whitespace; strip it.
        var paren = sentBy.IndexOf('(');
        if (paren >= 0) sentBy = sentBy[..paren].Trim();
        if (!SipUri.TrySplitHostPort(sentBy, out var host, out var port)) return false;
        var result = new ViaHeader { Transport = protocol[2].ToUpperInvariant(), Host = host, Port = port };
        if (semi >= 0 && !SipParameters.TryParse(rest[(semi + 1)..], result.Parameters)) return false;
        via = result;
        return true;
    }

    public override string ToString()
    {
        var b = new StringBuilder("SIP/2.0/");
        b.Append(Transport).Append(' ').Append(SentBy);
        Parameters.AppendTo(b);
        return b.ToString();
    }

    private static int FindProtocolEnd(string text)
    {
        // The protocol is three tokens separated by slashes; the sent-by starts after the third token.
        var slashes = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '/') slashes++;
            else if (slashes == 2 && !char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                return i;
            }
            i++;
        }
        return -1;
    }
}
