using System.Net;

namespace SipRecorder.Media.Rtp.Polling;

/// <summary>
/// One received datagram: its bytes are the first <paramref name="length"/> of <paramref name="buffer"/>, which the
/// handler may rewrite and grow in place (up to the buffer's size) before forwarding it. Both the buffer and
/// <paramref name="source"/> belong to the poller and are reused for the next datagram: copy what must outlive the call.
/// </summary>
public delegate void DatagramHandler(Span<byte> buffer, int length, SocketAddress source);
