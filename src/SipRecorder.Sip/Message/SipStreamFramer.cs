using System.Globalization;
using System.Text;

namespace SipRecorder.Sip.Message;

/// <summary>
/// Cuts a TCP byte stream into SIP messages using Content-Length (RFC 3261 §18.3). Keep-alive CRLFs
/// between messages (RFC 5626 §3.5.1) are reported so the caller can answer a double CRLF ping.
/// </summary>
internal sealed class SipStreamFramer
{
    private byte[] _buffer = new byte[4096];
    private int _count;

    public enum Result { NeedMore, Message, Ping, TooLarge }

    public int Buffered => _count;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_count + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + data.Length));
        data.CopyTo(_buffer.AsSpan(_count));
        _count += data.Length;
    }

    /// <summary>Takes the next complete message from the buffer, if there is one.</summary>
    public Result TryRead(out byte[] message)
    {
        message = [];
        var span = _buffer.AsSpan(0, _count);
        var leading = 0;
        while (leading < span.Length && (span[leading] == '\r' || span[leading] == '\n')) leading++;
        if (leading > 0)
        {
            var isPing = leading >= 4 && span[..4].SequenceEqual("\r\n\r\n"u8);
            Consume(leading);
            if (isPing) return Result.Ping;
            span = _buffer.AsSpan(0, _count);
        }

        var headerEnd = span.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0) return span.Length > SipParser.MaxMessageSize ? Result.TooLarge : Result.NeedMore;
        var contentLength = FindContentLength(span[..headerEnd]);
        if (contentLength < 0 || headerEnd + 4 + contentLength > SipParser.MaxMessageSize) return Result.TooLarge;
        var total = headerEnd + 4 + contentLength;
        if (span.Length < total) return Result.NeedMore;
        message = span[..total].ToArray();
        Consume(total);
        return Result.Message;
    }

    private void Consume(int bytes)
    {
        _buffer.AsSpan(bytes, _count - bytes).CopyTo(_buffer);
        _count -= bytes;
    }

    /// <summary>Content-Length (or compact "l") from the header block; 0 when absent, -1 when unreadable.</summary>
    private static int FindContentLength(ReadOnlySpan<byte> head)
    {
        foreach (var line in Encoding.ASCII.GetString(head).Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("l", StringComparison.OrdinalIgnoreCase)) continue;
            return int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : -1;
        }
        return 0;
    }
}
