using System.Net.Sockets;

namespace SipRecorder.IntegrationTests;

/// <summary>Everything a test's socket receives (the far end of a call, as the relay sends it to it) until told to stop.</summary>
internal static class UdpCollector
{
    public static async Task<List<byte[]>> Collect(UdpClient socket, CancellationToken stop)
    {
        var packets = new List<byte[]>();
        try
        {
            while (true) packets.Add((await socket.ReceiveAsync(stop)).Buffer);
        }
        catch (OperationCanceledException)
        {
        }
        return packets;
    }

    public static async Task<List<byte[]>> Collect(UdpClient socket, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        return await Collect(socket, stop.Token);
    }
}
