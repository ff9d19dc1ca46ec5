using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Media.Dtmf;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Dtmf;

public class FeatureCodeFilterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(CallSide Party, FeatureAction Action)> _codes = [];
    private readonly Injected _injected = new();
    private readonly FeatureCodeFilter _filter;
    private uint _timestamp = 1000;

    public FeatureCodeFilterTests()
    {
        _filter = new FeatureCodeFilter(_time, (party, action) => _codes.Add((party, action)));
        _filter.Watch(CallSide.A, new FeatureCodes([("*1", FeatureAction.ToggleRecording), ("*2", FeatureAction.PauseRecording), ("*3", FeatureAction.ResumeRecording)]), [101]);
    }

    private sealed class Injected : IRtpInjector
    {
        public List<TelephoneEvent> Events { get; } = [];

        public void Inject(Span<byte> packet)
        {
            Assert.True(RtpHeader.TryRead(packet, out var header));
            Assert.True(TelephoneEvent.TryRead(packet.Slice(header.PayloadOffset), out var e));
            Events.Add(e);
        }
    }

    /// <summary>Sends a key the RFC 4733 way with audio in between; returns how many of its event packets went through.</summary>
    private int Press(char key, CallSide from = CallSide.A)
    {
        var forwarded = 0;
        var eventTimestamp = _timestamp;
        for (var i = 0; i < 6; i++)
        {
            Audio(from);
            var packet = new byte[16];
            packet[0] = 0x80;
            packet[1] = (byte)((i == 0 ? 0x80 : 0) | 101);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), eventTimestamp);
            new TelephoneEvent(TelephoneEvent.Code(key), i >= 3, 10, (ushort)(160 * (i + 1))).Write(packet.AsSpan(12));
            Assert.True(RtpHeader.TryRead(packet, out var header));
            if (_filter.Forward(from, header, packet, _injected)) forwarded++;
        }
        return forwarded;
    }

    private void Audio(CallSide from)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), _timestamp += 160);
        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.True(_filter.Forward(from, header, packet, _injected)); // audio always goes through
        _time.Advance(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void Star_one_toggles_and_no_packet_of_either_key_reaches_the_other_party()
    {
        Assert.Equal(0, Press('*'));
        Assert.Equal(0, Press('1'));
        Assert.Equal([(CallSide.A, FeatureAction.ToggleRecording)], _codes);
        Assert.Empty(_injected.Events);
    }

    [Fact]
    public void Star_two_and_star_three_pause_and_resume_and_neither_reaches_the_other_party()
    {
        Assert.Equal(0, Press('*'));
        Assert.Equal(0, Press('2'));
        Assert.Equal(6, Press('4')); // the card number's keys while paused go through: the far end's IVR needs them
        Assert.Equal(0, Press('*'));
        Assert.Equal(0, Press('3'));
        Assert.Equal([(CallSide.A, FeatureAction.PauseRecording), (CallSide.A, FeatureAction.ResumeRecording)], _codes);
        Assert.Empty(_injected.Events);
    }

    [Fact]
    public void A_star_followed_by_another_key_is_replayed_before_that_key_goes_through()
    {
        Assert.Equal(0, Press('*'));
        Assert.Equal(6, Press('5'));
        Assert.Empty(_codes);
        Assert.All(_injected.Events, e => Assert.Equal(TelephoneEvent.Code('*'), e.Event));
        Assert.Equal(5, _injected.Events.Count);
        Assert.True(_injected.Events[^1].End);
    }

    [Fact]
    public void A_lone_star_is_replayed_once_its_window_runs_out()
    {
        Press('*');
        for (var i = 0; i < 160; i++) Audio(CallSide.A); // 3.2 s of audio
        Assert.Equal(5, _injected.Events.Count);
        Assert.Equal(6, Press('1')); // too late to be *1: an ordinary key now
        Assert.Empty(_codes);
    }

    [Fact]
    public void Keys_of_a_party_that_is_not_watched_pass_untouched()
    {
        Assert.Equal(6, Press('*', from: CallSide.B));
        Assert.Equal(6, Press('1', from: CallSide.B));
        Assert.Empty(_codes);
    }
}
