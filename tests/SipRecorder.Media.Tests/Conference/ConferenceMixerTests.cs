using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Conference;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Conference;

[Trait("Category", "Integration")]
[Collection(RealTimeSockets.Name)]
public sealed class ConferenceMixerTests : IDisposable
{
    private readonly RtpPortPool _pool = new(IPAddress.Loopback, 22200, 22299);
    private readonly List<UdpClient> _phones = [];

    public void Dispose()
    {
        foreach (var phone in _phones) phone.Dispose();
    }

    [Fact]
    public async Task Each_caller_hears_the_others_and_not_itself()
    {
        using var mixer = new ConferenceMixer(TimeSpan.FromMilliseconds(60));
        var tones = new[] { 440.0, 1000.0, 1700.0 };
        var participants = JoinPhones(mixer, tones.Length);
        var heard = _phones.Select(p => Listen(p, TimeSpan.FromSeconds(2.5))).ToList();
        await SpeakAsync(participants, tones, TimeSpan.FromSeconds(2));

        for (var i = 0; i < tones.Length; i++)
        {
            var audio = (await heard[i]).Skip(4000).ToList(); // past the playout delay
            var own = Power(audio, tones[i]);
            foreach (var other in tones.Where((_, j) => j != i))
                Assert.True(Power(audio, other) > 100 * own, $"caller {i} hears {other} Hz at {Power(audio, other):E2} and itself at {own:E2}");
        }
        Assert.Equal(3, mixer.Count);
        foreach (var participant in participants) mixer.Leave(participant);
        Assert.Equal(0, mixer.Count);
        Assert.Equal(0, _pool.InUse);
    }

    [Fact]
    public async Task Three_loud_callers_are_mixed_without_clipping_and_each_still_hears_both_others()
    {
        using var mixer = new ConferenceMixer(TimeSpan.FromMilliseconds(60));
        var tones = new[] { 440.0, 1000.0, 1700.0 };
        var participants = JoinPhones(mixer, tones.Length);
        var heard = _phones.Select(p => Listen(p, TimeSpan.FromSeconds(2.5))).ToList();
        // Each near full scale: any two of them sum to 1.5 times what 16 bits hold.
        await SpeakAsync(participants, tones, TimeSpan.FromSeconds(2), amplitude: 24000);

        for (var i = 0; i < tones.Length; i++)
        {
            var audio = (await heard[i]).Skip(4000).ToList();
            // A clipped sum lands on mu-law's top code (32124); the limiter keeps the peaks below it.
            Assert.Equal(0, audio.Count(s => Math.Abs((int)s) >= 32000));
            foreach (var other in tones.Where((_, j) => j != i))
                Assert.True(Power(audio, other) > 100 * Power(audio, tones[i]), $"caller {i} hears {other} Hz");
        }
        foreach (var participant in participants) mixer.Leave(participant);
    }

    [Fact]
    public async Task A_prompt_played_into_the_room_reaches_every_caller_sample_for_sample()
    {
        using var mixer = new ConferenceMixer(TimeSpan.FromMilliseconds(60));
        var participants = JoinPhones(mixer, 2);
        var heard = _phones.Select(p => ListenPackets(p, TimeSpan.FromSeconds(1.5))).ToList();
        var prompt = SipRecorder.Media.Prompts.PromptAudio.Default.Samples;
        mixer.PlayPrompt(prompt);
        Assert.True(mixer.PromptPlaying);

        var expected = new byte[160];
        foreach (var packets in heard)
        {
            var payloads = (await packets).Select(p => p.AsSpan(12).ToArray()).ToList();
            G711.EncodeMuLaw(prompt.AsSpan(0, 160), expected);
            var first = payloads.FindIndex(p => p.SequenceEqual(expected));
            Assert.True(first >= 0, "the prompt's first frame never arrived");
            for (var f = 1; f < 40; f++)
            {
                G711.EncodeMuLaw(prompt.AsSpan(f * 160, 160), expected);
                Assert.Equal(expected, payloads[first + f]);
            }
        }
        foreach (var participant in participants) mixer.Leave(participant);
    }

    /// <summary>Phones (UDP sockets on loopback) that join the room, each a participant speaking PCMU.</summary>
    private List<ConferenceParticipant> JoinPhones(ConferenceMixer mixer, int count)
    {
        var participants = new List<ConferenceParticipant>();
        for (var i = 0; i < count; i++)
        {
            var phone = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            _phones.Add(phone);
            participants.Add(mixer.Join(_pool.Allocate()!, (IPEndPoint)phone.Client.LocalEndPoint!, 0));
        }
        return participants;
    }

    private static async Task<List<byte[]>> ListenPackets(UdpClient phone, TimeSpan duration)
    {
        var packets = new List<byte[]>();
        using var stop = new CancellationTokenSource(duration);
        try
        {
            while (true) packets.Add((await phone.ReceiveAsync(stop.Token)).Buffer);
        }
        catch (OperationCanceledException)
        {
        }
        return packets;
    }

    private async Task SpeakAsync(List<ConferenceParticipant> participants, double[] tones, TimeSpan duration, int amplitude = 6000)
    {
        var packet = new byte[12 + 160];
        var pcm = new short[160];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var n = 0; n * 20 < duration.TotalMilliseconds; n++)
        {
            for (var p = 0; p < participants.Count; p++)
            {
                packet[0] = 0x80;
                packet[1] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)n);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(160 * n));
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), (uint)(p + 1));
                for (var i = 0; i < 160; i++) pcm[i] = (short)(amplitude * Math.Sin(2 * Math.PI * tones[p] * ((n * 160) + i) / 8000));
                G711.EncodeMuLaw(pcm, packet.AsSpan(12));
                await _phones[p].SendAsync(packet, new IPEndPoint(IPAddress.Loopback, participants[p].LocalPort));
            }
            var due = TimeSpan.FromMilliseconds(20 * (n + 1)) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due);
        }
    }

    private static async Task<List<short>> Listen(UdpClient phone, TimeSpan duration)
    {
        var samples = new List<short>();
        var pcm = new short[1500];
        using var stop = new CancellationTokenSource(duration);
        try
        {
            while (true)
            {
                var packet = (await phone.ReceiveAsync(stop.Token)).Buffer;
                Assert.True(RtpHeader.TryRead(packet, out var header));
                var count = G711.DecodeMuLaw(packet.AsSpan(header.PayloadOffset, header.PayloadLength), pcm);
                samples.AddRange(pcm.Take(count));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return samples;
    }

    private static double Power(List<short> samples, double frequency) => Goertzel.Power(samples.Select(s => (double)s), frequency, 8000);
}
