using System.Net;
using System.Net.Sockets;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A TCP relay between a phone and the server that keeps every byte it passes, both ways: what anyone on the path
/// would see. The phone is pointed at <see cref="Port"/>.
/// </summary>
internal sealed class WireTap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _seen = new();
    private readonly Task _accepting;

    public WireTap(int serverPort)
    {
        _listener.Start();
        _accepting = Task.Run(async () =>
        {
            var pipes = new List<Task>();
            try
            {
                while (true)
                {
                    var phone = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var server = new TcpClient();
                    await server.ConnectAsync(IPAddress.Loopback, serverPort, _stop.Token);
                    pipes.Add(Pipe(phone, server));
                    pipes.Add(Pipe(server, phone));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            await Task.WhenAll(pipes).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
        });
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Everything relayed so far, both directions mixed.</summary>
    public byte[] Seen
    {
        get
        {
            lock (_seen) return _seen.ToArray();
        }
    }

    private async Task Pipe(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await from.GetStream().ReadAsync(buffer, _stop.Token)) > 0)
            {
                lock (_seen) _seen.Write(buffer, 0, read);
                await to.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            to.Dispose();
            from.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
