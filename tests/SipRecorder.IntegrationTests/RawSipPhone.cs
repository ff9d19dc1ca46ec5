using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SipRecorder.Sip.Message;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// A phone written by hand on a UDP socket, for what SIPp will not do: send the exact bytes an attacker would, such
/// as a digest answer captured from another request. Requests are text; answers are parsed with our own parser.
/// </summary>
/// <param name="local">The phone's address: another loopback address (127.0.0.2) is another host to the server.</param>
internal sealed class RawSipPhone(int serverPort, IPAddress? local = null) : IDisposable
{
    // A flood test sends hundreds of requests before it reads the answers: the kernel's default 208 KB holds about
    // 200 of them (each small datagram costs a page or so), and the rest would be dropped here, not by the server.
    private readonly UdpClient _socket = new(new IPEndPoint(local ?? IPAddress.Loopback, 0)) { Client = { ReceiveBufferSize = 4 * 1024 * 1024 } };
    private readonly IPEndPoint _server = new(IPAddress.Loopback, serverPort);

    public int Port => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    public IPAddress Address => ((IPEndPoint)_socket.Client.LocalEndPoint!).Address;

    public void Dispose() => _socket.Dispose();

    /// <summary>A request line and headers (CRLF added, Via with a fresh branch, Content-Length), sent to the server.</summary>
    public async Task SendAsync(string requestLine, string headers, string body = "")
    {
        var branch = "z9hG4bK" + Guid.NewGuid().ToString("N");
        var text = $"{requestLine}\r\nVia: SIP/2.0/UDP {Address}:{Port.ToString(CultureInfo.InvariantCulture)};branch={branch};rport\r\nMax-Forwards: 70\r\n" +
            headers.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Replace("\n", "\r\n", StringComparison.Ordinal) +
            $"\r\nContent-Length: {Encoding.ASCII.GetByteCount(body).ToString(CultureInfo.InvariantCulture)}\r\n\r\n{body}";
        await _socket.SendAsync(Encoding.ASCII.GetBytes(text), _server);
    }

    /// <summary>
    /// Sends a request as 2003 would: once without credentials, and again (CSeq 2) with the digest answer to the
    /// challenge (401 or 407) it gets. Returns the credentials header line's value, for a test to replay.
    /// </summary>
    /// <param name="headers">The request's headers for a CSeq number.</param>
    public async Task<string> SendWithCredentialsAsync(string method, string target, Func<int, string> headers, string password, string body = "")
    {
        await SendAsync($"{method} {target} SIP/2.0", headers(1), body);
        var challenge = await FinalResponseAsync();
        Assert.True(challenge.StatusCode is 401 or 407, $"expected a challenge, got {challenge.StatusCode}");
        var (asked, answered) = challenge.StatusCode == 407 ? (HeaderNames.ProxyAuthenticate, "Proxy-Authorization") : (HeaderNames.WwwAuthenticate, "Authorization");
        var answer = SipRecorder.Sip.Auth.DigestClient.Answer(challenge.Headers.GetAll(asked).First(), method, target, "2003", password)!;
        await SendAsync($"{method} {target} SIP/2.0", headers(2) + $"\n{answered}: {answer}", body);
        return answer;
    }

    /// <summary>Every response that arrives until none has for <paramref name="quiet"/>.</summary>
    public async Task<List<SipResponse>> ResponsesUntilQuietAsync(TimeSpan quiet)
    {
        var responses = new List<SipResponse>();
        while (true)
        {
            using var timeout = new CancellationTokenSource(quiet);
            try
            {
                var datagram = await _socket.ReceiveAsync(timeout.Token);
                if (SipParser.Parse(datagram.Buffer).Message is SipResponse response) responses.Add(response);
            }
            catch (OperationCanceledException)
            {
                return responses;
            }
        }
    }

    /// <summary>The next final response (provisional ones skipped), within 5 s.</summary>
    public async Task<SipResponse> FinalResponseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var datagram = await _socket.ReceiveAsync(timeout.Token);
            if (SipParser.Parse(datagram.Buffer).Message is SipResponse { StatusCode: >= 200 } response) return response;
        }
    }
}
