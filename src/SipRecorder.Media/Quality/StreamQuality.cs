using System.Diagnostics;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Quality;

/// <summary>
/// What one party's RTP looked like on arrival (RFC 3550 A.1 and A.8): packets received against those the sequence
/// numbers say were sent (the rest were lost), duplicates, packets out of order, and interarrival jitter. Each new SSRC
/// (a re-INVITE, a transfer) starts a new run whose counts add to the earlier ones. Packets arrive on the thread that
/// polls the party's socket; the kernel fast path reports those it relayed unseen from the call's thread, and the
/// recorder reads <see cref="Snapshot"/> from its own: one uncontended lock keeps the three consistent.
/// </summary>
public sealed class StreamQuality
{
    private readonly Lock _lock = new();
    private long _received;
    private long _duplicated;
    private long _outOfOrder;
    private long _expectedBefore;
    private bool _started;
    private uint _ssrc;
    private ushort _baseSeq;
    private ushort _maxSeq;
    private long _cycles;
    private ulong _seen; // bit i: sequence number (max - i) arrived
    private double _jitterSeconds;
    private double _lastTransit;
    private bool _haveTransit;

    private PayloadTypeSet _payloadTypesSeen;
    private readonly int[] _payloadOrder = new int[8];
    private int _payloadCount;

    /// <summary>The payload type of the last audio packet: which codec the party was sending at the end.</summary>
    public int LastPayloadType { get; private set; } = -1;

    /// <summary>Every audio payload type the party sent, in the order first seen (a re-INVITE can change the codec);
    /// the first eight. Safe to read while packets still arrive: an entry is written before the count that shows it.</summary>
    public IReadOnlyList<int> PayloadTypes => new ArraySegment<int>(_payloadOrder, 0, Volatile.Read(ref _payloadCount));

    /// <param name="clockRate">The payload's RTP clock (8000 for G.711 and G.722, 48000 for Opus); 0 for a packet that is
    /// no audio (telephone-event), whose timestamps say nothing of arrival.</param>
    public void Observe(in RtpHeader header, long arrivalTimestamp, int clockRate)
    {
        lock (_lock) ObserveLocked(header, arrivalTimestamp, clockRate);
    }

    /// <summary>
    /// <paramref name="packets"/> of <paramref name="ssrc"/>'s stream that were relayed without passing here (the kernel
    /// relayed them while nothing wanted copies), the last with <paramref name="lastSequence"/>: received, and the
    /// sequence numbers up to it expected, so a gap the party really left still counts as lost.
    /// </summary>
    public void RelayedUnseen(uint ssrc, long packets, ushort lastSequence)
    {
        lock (_lock)
        {
            if (!_started || packets <= 0) return;
            _received += packets;
            if (ssrc != _ssrc)
            {
                _expectedBefore += packets; // a stream already replaced: nothing here says what it lost
                return;
            }
            var ahead = (ushort)(lastSequence - _maxSeq);
            if (ahead is 0 or >= 0x8000) return;
            if (lastSequence < _maxSeq) _cycles += 0x10000;
            _seen = ahead >= 64 ? ulong.MaxValue : (_seen << ahead) | ((1UL << ahead) - 1);
            _maxSeq = lastSequence;
            _haveTransit = false; // the next packet's transit is not one packet on from the last seen
        }
    }

    private void ObserveLocked(in RtpHeader header, long arrivalTimestamp, int clockRate)
    {
        var seq = header.SequenceNumber;
        if (!_started || header.Ssrc != _ssrc)
        {
            if (_started) _expectedBefore += Expected();
            (_started, _ssrc, _baseSeq, _maxSeq, _cycles, _seen, _haveTransit) = (true, header.Ssrc, seq, seq, 0, 1, false);
            _received++;
        }
        else
        {
            var ahead = (ushort)(seq - _maxSeq);
            if (ahead == 0)
            {
                _duplicated++;
                return;
            }
            if (ahead < 0x8000)
            {
                if (seq < _maxSeq) _cycles += 0x10000;
                _seen = ahead >= 64 ? 1 : (_seen << ahead) | 1;
                _maxSeq = seq;
                _received++;
            }
            else
            {
                var behind = (ushort)(_maxSeq - seq);
                if (behind < 64 && (_seen >> behind & 1) != 0)
                {
                    _duplicated++;
                    return;
                }
                if (behind < 64) _seen |= 1UL << behind;
                _outOfOrder++;
                _received++;
            }
        }
        if (clockRate > 0)
        {
            NotePayloadType(header.PayloadType);
            var transit = ((double)arrivalTimestamp / Stopwatch.Frequency) - ((double)header.Timestamp / clockRate);
            if (_haveTransit)
            {
                var difference = Math.Abs(transit - _lastTransit);
                // A jump of seconds is a new talkspurt's timestamps or our own stall, not network jitter.
                if (difference < 1) _jitterSeconds += (difference - _jitterSeconds) / 16;
            }
            (_lastTransit, _haveTransit) = (transit, true);
        }
    }

    private void NotePayloadType(int payloadType)
    {
        LastPayloadType = payloadType;
        if (_payloadTypesSeen.Contains(payloadType)) return;
        _payloadTypesSeen = _payloadTypesSeen.With(payloadType);
        if (_payloadCount == _payloadOrder.Length) return;
        _payloadOrder[_payloadCount] = payloadType;
        Volatile.Write(ref _payloadCount, _payloadCount + 1);
    }

    public QualitySnapshot Snapshot()
    {
        lock (_lock) return SnapshotLocked();
    }

    private QualitySnapshot SnapshotLocked()
    {
        var expected = _expectedBefore + (_started ? Expected() : 0);
        return new QualitySnapshot(_received, expected, Math.Max(0, expected - _received), _duplicated, _outOfOrder, _jitterSeconds * 1000);
    }

    private long Expected() => _cycles + _maxSeq - _baseSeq + 1;
}

/// <summary>One party's stream as received: <paramref name="Lost"/> is what the sequence numbers expected and never came.</summary>
public sealed record QualitySnapshot(long Packets, long Expected, long Lost, long Duplicated, long OutOfOrder, double JitterMs)
{
    public double LossPercent => Expected == 0 ? 0 : 100.0 * Lost / Expected;
}
