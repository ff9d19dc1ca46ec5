using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SipRecorder.IntegrationTests.Media;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// RTP from a stranger (another address sending to a party's relay port mid-call) reaches neither the other party
/// nor the recording: a leg takes packets only from its party (Media:StrictSource, on by default).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class StrictSourceTests
{
    [Fact]
    public async Task Loud_rtp_injected_from_another_address_mid_call_is_neither_relayed_nor_recorded()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, recording: OneExtension.AlwaysRecorded));
        // The far end is silent and reads what it is sent; the attacker is another host (127.0.0.2).
        using var farEnd = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var attacker = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var recorded = NextRecording.Of(server, "2003");

        var trunk = await Sipp.StartUasAsync("answer_to_socket.xml", trunkPort, "-mp", TestPorts.FreeText(),
            "-key", "farport", ((IPEndPoint)farEnd.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        var caller = Sipp.RunAsync($"127.0.0.1:{server.SipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234", "-au", "2003",
            "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", "3000", "-mp", TestPorts.FreeText());

        // The caller's audio arrives from the relay port facing the far end: that port is the target.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await farEnd.ReceiveAsync(wait.Token);
        var farFacingPort = new IPEndPoint(IPAddress.Loopback, first.RemoteEndPoint.Port);
        var strangersBefore = server.Sip.RelayCounters.FromStrangers;
        var loud = new byte[12 + 160]; // PCMU 0x00: full scale
        loud[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(loud.AsSpan(8), 0x0BADBEEF);
        for (var i = 0; i < 50; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(loud.AsSpan(2), (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(loud.AsSpan(4), (uint)(i * 160));
            await attacker.SendAsync(loud, farFacingPort);
            await Task.Delay(20);
        }

        var (called, answered) = (await caller, await trunk);
        Assert.True(called.ExitCode == 0 && answered.ExitCode == 0, $"caller {called.ExitCode}: {called.Errors}\ntrunk {answered.ExitCode}: {answered.Errors}");
        var wav = StereoWav.Read((await recorded.WaitAsync(TimeSpan.FromSeconds(5))).Path);
        // The right channel is the far end, which said nothing: not one sample of the stranger's full-scale audio.
        Assert.Equal(0, wav.Right.Max(s => Math.Abs((int)s)));
        Assert.True(wav.Power(wav.Left, 440) > 0); // and the caller was recorded all along
        Assert.Equal(50, server.Sip.RelayCounters.FromStrangers - strangersBefore);
    }
}
