using System.Diagnostics;
using SipRecorder.Media.Codecs;
using SipRecorder.Media.Quality;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Tests.Quality;

/// <summary>What the detail page tells a user about a party's stream, from the sequence numbers and arrival times alone.</summary>
public sealed class StreamQualityTests
{
    private static readonly long Tick20Ms = Stopwatch.Frequency / 50;

    private static RtpHeader Packet(ushort seq, uint ssrc = 0x1234) => new() { PayloadType = 0, SequenceNumber = seq, Timestamp = (uint)(seq * 160), Ssrc = ssrc };

    [Fact]
    public void A_stream_with_two_lost_one_duplicated_and_one_swapped_pair_across_the_sequence_wrap_counts_each()
    {
        var quality = new StreamQuality();
        ushort[] arrivals = [65530, 65531, 65533, 65532, 65534, 65534, 0, 3, 4, 5]; // 65535, 1 and 2 never come
        foreach (var (seq, i) in arrivals.Select((s, i) => (s, i))) quality.Observe(Packet(seq), i * Tick20Ms, 8000);

        var snapshot = quality.Snapshot();
        Assert.Equal((9L, 12L, 3L, 1L, 1L), (snapshot.Packets, snapshot.Expected, snapshot.Lost, snapshot.Duplicated, snapshot.OutOfOrder));
        Assert.Equal(25, snapshot.LossPercent, 1);
    }

    [Fact]
    public void Every_codec_the_party_sent_is_kept_in_the_order_first_seen_and_telephone_events_are_not_codecs()
    {
        var quality = new StreamQuality();
        ushort seq = 0;
        foreach (var (payloadType, clockRate, count) in new[] { (0, 8000, 50), (101, 0, 3), (9, 8000, 50), (0, 8000, 5) })
            for (var i = 0; i < count; i++, seq++)
                quality.Observe(Packet(seq) with { PayloadType = (byte)payloadType }, seq * Tick20Ms, clockRate);

        Assert.Equal([0, 9], quality.PayloadTypes);
        Assert.Equal(0, quality.LastPayloadType);
        Assert.Equal(108, quality.Snapshot().Packets);
    }

    [Fact]
    public void Jitter_follows_rfc_3550_and_is_zero_for_packets_exactly_on_time()
    {
        var steady = new StreamQuality();
        var jittery = new StreamQuality();
        for (ushort seq = 0; seq < 500; seq++)
        {
            steady.Observe(Packet(seq), seq * Tick20Ms, 8000);
            // Every other packet 10 ms late: each transit differs from the last by 10 ms, so J converges to 10 ms.
            jittery.Observe(Packet(seq), (seq * Tick20Ms) + (seq % 2 * Tick20Ms / 2), 8000);
        }
        Assert.Equal(0, steady.Snapshot().JitterMs, 3);
        Assert.Equal(10, jittery.Snapshot().JitterMs, 1);
        Assert.Equal(0, jittery.Snapshot().Lost);
    }

    [Fact]
    public void Packets_relayed_unseen_count_as_received_and_only_the_gap_the_party_left_as_lost_across_the_wrap()
    {
        var quality = new StreamQuality();
        for (ushort seq = 65500; seq < 65510; seq++) quality.Observe(Packet(seq), seq * Tick20Ms, 8000);
        // The kernel relayed 65510..3 without copies except 65520 and 65521, which the party never sent.
        quality.RelayedUnseen(0x1234, 28, lastSequence: 3);
        quality.Observe(Packet(3), 0, 8000); // a straggler the kernel relayed and the socket also got: a duplicate
        for (ushort seq = 4; seq < 10; seq++) quality.Observe(Packet(seq), seq * Tick20Ms, 8000);

        var snapshot = quality.Snapshot();
        Assert.Equal((44L, 46L, 2L, 1L), (snapshot.Packets, snapshot.Expected, snapshot.Lost, snapshot.Duplicated));
    }

    [Fact]
    public void A_new_ssrc_starts_a_new_run_without_counting_the_jump_as_loss()
    {
        var quality = new StreamQuality();
        for (ushort seq = 100; seq < 110; seq++) quality.Observe(Packet(seq), seq * Tick20Ms, 8000);
        for (ushort seq = 9000; seq < 9010; seq++) quality.Observe(Packet(seq, ssrc: 0x9999), seq * Tick20Ms, 8000);
        Assert.Equal((20L, 20L, 0L), (quality.Snapshot().Packets, quality.Snapshot().Expected, quality.Snapshot().Lost));
    }

    [Theory]
    [InlineData(AudioCodec.Pcmu, 0, 0, 4.3, 4.45)] // G.107: the best narrowband call, R about 92
    [InlineData(AudioCodec.Pcmu, 5, 10, 3.7, 4.1)]
    [InlineData(AudioCodec.Pcmu, 20, 30, 2.4, 3.0)]
    [InlineData(AudioCodec.G722, 5, 10, 1.9, 2.4)] // no concealment assumed (Bpl 4.3): loss costs more
    public void The_e_model_gives_a_good_call_above_4_and_heavy_loss_below_3(AudioCodec codec, double loss, double jitter, double low, double high)
    {
        var mos = EModel.Mos(EModel.R(codec, loss, jitter));
        Assert.InRange(mos, low, high);
    }
}
