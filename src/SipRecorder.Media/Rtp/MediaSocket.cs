using System.Net;
using System.Net.Sockets;

namespace SipRecorder.Media.Rtp;

/// <summary>Receiving on a media socket, with the error policy every media loop shares.</summary>
internal static class MediaSocket
{
    /// <summary>
    /// The next datagram's length, or -1 when the loop should end (stopped, socket closed or broken). ICMP errors from
    /// an earlier send and oversized datagrams are skipped: they are not fatal for a media stream.
    /// </summary>
    public static async ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer, SocketAddress source, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                return await socket.ReceiveFromAsync(buffer, SocketFlags.None, source, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return -1;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
            }
            catch (SocketException)
            {
                return -1;
            }
        }
        return -1;
    }
}
