using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SipRecorder.Media.Srtp;

/// <summary>What became of a received SRTP or SRTCP packet.</summary>
public enum SrtpResult
{
    Ok,
    /// <summary>Its tag does not check out: a wrong key, or tampered with.</summary>
    AuthenticationFailed,
    /// <summary>Seen before, or older than the replay window.</summary>
    Replayed,
    /// <summary>Too short to be one.</summary>
    Malformed,
}

/// <summary>
/// One direction of SRTP and SRTCP with one master key (RFC 3711): what a party sends us (unprotect) or what we send
/// it (protect). AES-128 in counter mode, the keystream from AES in ECB mode over a batch of counter blocks; HMAC-SHA1
/// on a reused instance; the rollover counter guessed from the sequence number (§3.3.1) and a 64-packet replay window.
/// A new SSRC starts a new stream state (the far end changed source). Used by one thread at a time (the receive loop of
/// its direction), it allocates nothing per packet.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private const int MaxPacket = 1500;
    private const int Block = 16;
    private readonly SrtpSuite _suite;
    // An encryptor made once per key and reused: the one-shot EncryptEcb sets up a cipher context on every call
    // (about 1 us and 64 bytes each, SrtpBenchmarks).
    private readonly ICryptoTransform _rtpCipher;
    private readonly ICryptoTransform _rtcpCipher;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _counters = new byte[MaxPacket + Block];
    private readonly byte[] _keystream = new byte[MaxPacket + Block];
    private readonly byte[] _mac = new byte[20];

    // The RTP stream: its SSRC, rollover counter, highest sequence number (s_l) and replay window.
    private bool _rtpStarted;
    private uint _rtpSsrc;
    private uint _roc;
    private ushort _highestSequence;
    private SrtpReplayWindow _rtpReplay;

    // SRTCP: our send index, and the receive window.
    private uint _rtcpSendIndex;
    private SrtpReplayWindow _rtcpReplay;

    public SrtpContext(SrtpSuite suite, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (masterKey.Length != SrtpSuite.MasterKeyLength || masterSalt.Length != SrtpSuite.MasterSaltLength)
            throw new ArgumentException("SRTP needs a 128-bit master key and a 112-bit master salt");
        _suite = suite;
        var rtp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: false);
        var rtcp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: true);
        _rtpCipher = Encryptor(rtp.CipherKey);
        _rtcpCipher = Encryptor(rtcp.CipherKey);
        _rtpSalt = rtp.Salt;
        _rtcpSalt = rtcp.Salt;
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtp.AuthKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcp.AuthKey);
    }

    public SrtpSuite Suite => _suite;

    private static ICryptoTransform Encryptor(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        return aes.CreateEncryptor();
    }

    /// <summary>How much longer a protected RTP packet is than the plain one.</summary>
    public int RtpOverhead => _suite.RtpTagLength;

    /// <summary>SRTCP adds the E flag and index (4 bytes) and an 80-bit tag.</summary>
    public const int RtcpOverhead = 4 + SrtpSuite.RtcpTagLength;

    /// <summary>Encrypts the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place and appends its tag.</summary>
    /// <returns>The protected length, or -1 when the packet is not RTP or does not fit.</returns>
    public int ProtectRtp(Span<byte> buffer, int length)
    {
        var headerLength = RtpHeaderLength(buffer[..length]);
        if (headerLength < 0 || length + _suite.RtpTagLength > Math.Min(buffer.Length, MaxPacket)) return -1;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        if (!_rtpStarted || ssrc != _rtpSsrc)
        {
            _rtpStarted = true;
            _rtpSsrc = ssrc;
            _roc = 0;
            _highestSequence = sequence;
        }
        else if (sequence < _highestSequence && _highestSequence - sequence > 32768)
        {
            _roc++; // our sequence numbers wrapped
            _highestSequence = sequence;
        }
        else if (sequence > _highestSequence)
        {
            _highestSequence = sequence;
        }
        var index = ((long)_roc << 16) | sequence;
        Crypt(_rtpCipher, _rtpSalt, ssrc, index, buffer[headerLength..length]);
        Tag(_rtpMac, buffer[..length], _roc, buffer.Slice(length, _suite.RtpTagLength));
        return length + _suite.RtpTagLength;
    }

    /// <summary>Checks, decrypts in place and strips the tag of a received SRTP packet.</summary>
    public SrtpResult UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        var tagLength = _suite.RtpTagLength;
        if (length < 12 + tagLength) return SrtpResult.Malformed;
        var authenticated = length - tagLength;
        var headerLength = RtpHeaderLength(buffer[..authenticated]);
        if (headerLength < 0) return SrtpResult.Malformed;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var newStream = !_rtpStarted || ssrc != _rtpSsrc;
        var roc = newStream ? 0 : GuessRoc(sequence);
        var index = ((long)roc << 16) | sequence;
        if (!newStream && _rtpReplay.IsReplay(index)) return SrtpResult.Replayed;
        Tag(_rtpMac, buffer[..authenticated], roc, _mac);
        if (!CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, tagLength), buffer.Slice(authenticated, tagLength))) return SrtpResult.AuthenticationFailed;
        if (newStream)
        {
            _rtpStarted = true;
            _rtpSsrc = ssrc;
            _roc = 0;
            _highestSequence = sequence;
            _rtpReplay = default;
        }
        else if (roc > _roc || (roc == _roc && sequence > _highestSequence))
        {
            _roc = roc;
            _highestSequence = sequence;
        }
        _rtpReplay.Accept(index);
        Crypt(_rtpCipher, _rtpSalt, ssrc, index, buffer[headerLength..authenticated]);
        plainLength = authenticated;
        return SrtpResult.Ok;
    }

    /// <summary>RFC 3711 §3.3.1: the rollover counter that puts this sequence number closest to the highest one seen.</summary>
    private uint GuessRoc(ushort sequence)
    {
        if (_highestSequence < 32768) return sequence - _highestSequence > 32768 && _roc > 0 ? _roc - 1 : _roc;
        return _highestSequence - 32768 > sequence ? _roc + 1 : _roc;
    }

    /// <summary>Encrypts an RTCP packet in place: all after its first 8 bytes, then E and index, then the tag.</summary>
    public int ProtectRtcp(Span<byte> buffer, int length)
    {
        if (length < 8 || length + RtcpOverhead > Math.Min(buffer.Length, MaxPacket)) return -1;
        var index = _rtcpSendIndex;
        _rtcpSendIndex = (_rtcpSendIndex + 1) & 0x7FFFFFFF;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        Crypt(_rtcpCipher, _rtcpSalt, ssrc, index, buffer[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], 0x80000000u | index); // E: encrypted
        Tag(_rtcpMac, buffer[..(length + 4)], null, buffer.Slice(length + 4, SrtpSuite.RtcpTagLength));
        return length + RtcpOverhead;
    }

    public SrtpResult UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        if (length < 8 + RtcpOverhead) return SrtpResult.Malformed;
        var authenticated = length - SrtpSuite.RtcpTagLength;
        var word = BinaryPrimitives.ReadUInt32BigEndian(buffer[(authenticated - 4)..]);
        long index = word & 0x7FFFFFFF;
        if (_rtcpReplay.IsReplay(index)) return SrtpResult.Replayed;
        Tag(_rtcpMac, buffer[..authenticated], null, _mac);
        if (!CryptographicOperations.FixedTimeEquals(_mac.AsSpan(0, SrtpSuite.RtcpTagLength), buffer.Slice(authenticated, SrtpSuite.RtcpTagLength)))
            return SrtpResult.AuthenticationFailed;
        _rtcpReplay.Accept(index);
        plainLength = authenticated - 4;
        if ((word & 0x80000000u) != 0) Crypt(_rtcpCipher, _rtcpSalt, BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]), index, buffer[8..plainLength]);
        return SrtpResult.Ok;
    }

    /// <summary>XORs <paramref name="data"/> with AES-CM keystream (RFC 3711 §4.1.1): IV = salt*2^16 ^ SSRC*2^64 ^ index*2^16.</summary>
    private void Crypt(ICryptoTransform cipher, byte[] salt, uint ssrc, long index, Span<byte> data)
    {
        if (data.IsEmpty) return;
        var blocks = (data.Length + Block - 1) / Block;
        Span<byte> iv = stackalloc byte[Block];
        salt.CopyTo(iv);
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (var i = 0; i < 6; i++) iv[8 + i] ^= (byte)(index >> (40 - (8 * i)));
        var counters = _counters.AsSpan(0, blocks * Block);
        for (var block = 0; block < blocks; block++)
        {
            var counter = counters.Slice(block * Block, Block);
            iv.CopyTo(counter);
            BinaryPrimitives.WriteUInt16BigEndian(counter[14..], (ushort)block);
        }
        cipher.TransformBlock(_counters, 0, counters.Length, _keystream, 0);
        Xor(data, _keystream.AsSpan(0, counters.Length));
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        var wide = System.Numerics.Vector<byte>.Count;
        for (; i + wide <= data.Length; i += wide)
        {
            var mixed = new System.Numerics.Vector<byte>(data[i..]) ^ new System.Numerics.Vector<byte>(keystream[i..]);
            mixed.CopyTo(data[i..]);
        }
        for (; i < data.Length; i++) data[i] ^= keystream[i];
    }

    /// <summary>HMAC-SHA1 over the packet (and, for SRTP, the rollover counter), truncated into <paramref name="tag"/>.</summary>
    private void Tag(IncrementalHash mac, ReadOnlySpan<byte> authenticated, uint? roc, Span<byte> tag)
    {
        mac.AppendData(authenticated);
        if (roc is { } counter)
        {
            Span<byte> rocBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, counter);
            mac.AppendData(rocBytes);
        }
        mac.GetHashAndReset(_mac);
        _mac.AsSpan(0, tag.Length).CopyTo(tag);
    }

    /// <summary>The RTP header's length (CSRCs and extension included), or -1 when it is not a version 2 packet.</summary>
    private static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || packet[0] >> 6 != 2) return -1;
        var length = 12 + ((packet[0] & 0x0F) * 4);
        if ((packet[0] & 0x10) != 0)
        {
            if (length + 4 > packet.Length) return -1;
            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]) * 4);
        }
        return length <= packet.Length ? length : -1;
    }

    public void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
    }
}
