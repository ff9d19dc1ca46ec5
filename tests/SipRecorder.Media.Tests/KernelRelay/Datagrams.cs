using System.Net.Sockets;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>What a party's socket receives, without hanging a test on a packet that never comes.</summary>
internal static class Datagrams
{
    /// <summary>Up to <paramref name="count"/> datagrams, waiting at most <paramref name="wait"/> for each.</summary>
    public static async Task<List<UdpReceiveResult>> ReceiveUpTo(UdpClient client, int count, TimeSpan wait)
    {
        var received = new List<UdpReceiveResult>();
        while (received.Count < count)
        {
            using var timeout = new CancellationTokenSource(wait);
            try
            {
                received.Add(await client.ReceiveAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return received;
    }
}
