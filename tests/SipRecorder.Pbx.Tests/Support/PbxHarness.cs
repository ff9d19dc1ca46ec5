using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Pbx.Admission;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Pbx.Signaling;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;
using SipRecorder.Sip;
using SipRecorder.Storage.Files;

namespace SipRecorder.Pbx.Tests.Support;

/// <summary>Captures everything the PBX sends instead of putting it on a socket.</summary>
internal sealed class CapturingSender : ISipSender
{
    private readonly List<(SipEndPoint To, SipMessage Message)> _sent = [];

    public void Send(SipEndPoint to, byte[] data)
    {
        lock (_sent) _sent.Add((to, SipParser.Parse(data).Message!));
    }

    public List<(SipEndPoint To, SipMessage Message)> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public List<SipResponse> Responses => Sent.Select(s => s.Message).OfType<SipResponse>().ToList();

    public List<(SipEndPoint To, SipRequest Request)> Requests => Sent.Where(s => s.Message is SipRequest).Select(s => (s.To, (SipRequest)s.Message)).ToList();
}

/// <summary>The PBX's SIP side (stack, transactions, registrar, call manager) over a capturing sender and a given clock.</summary>
internal sealed class PbxHarness
{
    public PbxHarness(IDirectory directory, TimeProvider time, string realm = "pbx.test", string? recordings = null, AuthFailureLimiter? authLimiter = null)
    {
        Locations = new LocationService(time);
        Layer = new SipTransactionLayer(Sender, time, TransactionTimers.Default);
        var digest = new DigestVerifier(realm, new NonceService(time, TimeSpan.FromMinutes(5)));
        var gate = new DigestGate(digest, digest, NullLogger<DigestGate>.Instance, authLimiter);
        var registrar = new SipRegistrar(directory, Locations, gate, new RegistrarOptions(), time, NullLogger<SipRegistrar>.Instance);
        Ports = new RtpPortPool(IPAddress.Loopback, 22400, 22599);
        Calls = new CallManager(Layer, () => Local, directory, new CallRouter(directory, Locations), gate, Ports, new RelayCounters(), Mixers,
            new B2buaSettings(), time, NullLoggerFactory.Instance,
            new LocalRecordingFiles(recordings ?? Path.Combine(Path.GetTempPath(), "siprec-unit-" + Guid.NewGuid().ToString("N"))));
        Layer.User = new PbxRequestHandler(registrar, Calls, NullLogger<PbxRequestHandler>.Instance);
        Stack = new SipStack(Sender, Layer, NullLogger.Instance);
    }

    public static LocalAddress Local { get; } = new("127.0.0.1", 5060);

    public CapturingSender Sender { get; } = new();
    public SipTransactionLayer Layer { get; }
    public SipStack Stack { get; }
    public LocationService Locations { get; }
    public CallManager Calls { get; }
    public RtpPortPool Ports { get; }
    public MixerPool Mixers { get; } = new(1);

    public void Receive(string text, SipEndPoint from) => Stack.OnReceived(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)), from);

    public void Receive(SipMessage message, SipEndPoint from) => Stack.OnReceived(message.ToBytes(), from);
}

internal static class CapturingSenderExtensions
{
    /// <summary>Call control runs on each call's queue on the thread pool: wait for what it sends.</summary>
    public static async Task<(SipEndPoint To, TMessage Message)> WaitFor<TMessage>(this CapturingSender sender, Func<TMessage, bool> match, int skip = 0)
        where TMessage : SipMessage
    {
        for (var i = 0; i < 200; i++)
        {
            var found = sender.Sent.Where(s => s.Message is TMessage m && match(m)).Skip(skip).Select(s => (s.To, (TMessage)s.Message)).FirstOrDefault();
            if (found.Item2 is not null) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"nothing matching was sent; sent so far:\n{string.Join("\n", sender.Sent.Select(s => s.Message.StartLine))}");
    }
}
