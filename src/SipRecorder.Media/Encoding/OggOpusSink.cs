using System.Buffers.Binary;
using SipRecorder.Media.Codecs.Opus;
using SipRecorder.Media.Recording;

namespace SipRecorder.Media.Encoding;

/// <summary>
/// Two-channel Opus in Ogg (RFC 7845), encoded as the call runs, each channel its own mono stream so one party never
/// leaks into the other's side (a stereo stream's joint coding put each at about -31 dB in the other): an OpusHead page, an OpusTags page, then
/// one page per half second of 20 ms packets, so a file cut short by a crash is playable up to its last page. Granule
/// positions count 48 kHz samples including the pre-skip; the last page's granule trims the padding of the final frame.
/// </summary>
public sealed class OggOpusSink : IStereoSink
{
    private const int GranuleRate = 48000;
    // Half a second a page: a crash loses at most the page being filled, well under the second promised.
    private const int PacketsPerPage = 25;
    private readonly Stream _file;
    private readonly IOpusFrameEncoder _encoder;
    private readonly OggPageWriter _ogg;
    private readonly int _frameSamples;
    private readonly short[] _pending;
    private readonly byte[] _packet = new byte[1500];
    private readonly int _preSkip;
    private int _pendingSamples;
    private long _samples;
    private int _packetsOnPage;
    private bool _disposed;

    public OggOpusSink(Stream file, int sampleRate, int bitrate = 64000, int complexity = 0)
    {
        _file = file;
        SampleRate = sampleRate;
        _frameSamples = sampleRate / 50;
        _pending = new short[_frameSamples * 2];
        // Complexity 0 by default: on speech it keeps as much as 10 does (OpusFidelityTests) for a fraction of the CPU.
        _encoder = OpusCodecs.CreateEncoder(sampleRate, 2, bitrate, complexity);
        // RFC 7845 §4.2: pre-skip is the encoder's delay, in 48 kHz samples.
        _preSkip = _encoder.Lookahead * (GranuleRate / sampleRate);
        _ogg = new OggPageWriter(file, (uint)Random.Shared.Next());
        _ogg.AddPacket(OpusHead(), 0);
        _ogg.Flush(endOfStream: false);
        _ogg.AddPacket(OpusTags(_encoder.Implementation), 0);
        _ogg.Flush(endOfStream: false);
    }

    public int SampleRate { get; }

    /// <summary>Which encoder runs: "libopus" (Debian's libopus0) or "Concentus" (managed, where the library is missing).</summary>
    public string EncoderName => _encoder.Implementation;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)_samples / SampleRate);

    public void Write(ReadOnlySpan<short> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!interleaved.IsEmpty)
        {
            var take = Math.Min(interleaved.Length, _pending.Length - (_pendingSamples * 2));
            interleaved[..take].CopyTo(_pending.AsSpan(_pendingSamples * 2));
            _pendingSamples += take / 2;
            _samples += take / 2;
            interleaved = interleaved[take..];
            if (_pendingSamples == _frameSamples) EncodePending();
        }
    }

    private void EncodePending()
    {
        _pending.AsSpan(_pendingSamples * 2).Clear(); // the last frame of a call is padded with silence
        var length = _encoder.Encode(_pending, _frameSamples, _packet);
        _pendingSamples = 0;
        _ogg.AddPacket(_packet.AsSpan(0, length), _preSkip + (_samples * (GranuleRate / SampleRate)));
        if (++_packetsOnPage >= PacketsPerPage)
        {
            _ogg.Flush(endOfStream: false);
            _file.Flush(); // to the disk now: after a crash the file holds every page but the one being filled
            _packetsOnPage = 0;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_pendingSamples > 0) EncodePending();
        _ogg.Flush(endOfStream: true);
        _file.Dispose();
        _encoder.Dispose();
    }

    private byte[] OpusHead()
    {
        var head = new byte[23];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 2; // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)_preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)SampleRate); // the input rate, for information
        // output gain 0; RFC 7845 §5.1.1.2: mapping family 1, two streams, none coupled, stream 0 left, stream 1 right
        head[18] = 1;
        head[19] = 2;
        head[20] = 0;
        head[21] = 0;
        head[22] = 1;
        return head;
    }

    /// <summary>RFC 7845 §5.2: the vendor string names the encoder, so a file says whether libopus or the fallback made it.</summary>
    private static byte[] OpusTags(string implementation)
    {
        var vendor = System.Text.Encoding.ASCII.GetBytes("SipRecorder with " + implementation);
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendor.Length);
        vendor.CopyTo(tags.AsSpan(12));
        // no user comments
        return tags;
    }
}
