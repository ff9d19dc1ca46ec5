using System.Net;
using System.Runtime.InteropServices;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.KernelRelay;

/// <summary>
/// What the kernel needs to forward one leg's RTP without user space (the <c>legs</c> map's value, laid out as
/// <c>struct leg</c> in relay.bpf.c): the only source it takes, our address and port towards the other party, the other
/// party, the RTP fields the relay rewrites, a payload type user space must still see, and whether to copy to the recorder.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct KernelLeg
{
    private readonly uint _expectAddress;
    private readonly uint _sourceAddress;
    private readonly uint _destinationAddress;
    private readonly ushort _expectPort;
    private readonly ushort _sourcePort;
    private readonly ushort _destinationPort;
    private readonly ushort _id;
    private readonly uint _ssrc;
    private readonly uint _timestampOffset;
    private readonly ushort _sequenceOffset;
    private readonly byte _spareType;
    private readonly byte _record;
    private readonly uint _inputSsrc;
    private readonly uint _lastTimestamp;
    private readonly ushort _lastSequence;
    private readonly ushort _spare;
    private readonly uint _ring;
    private readonly ulong _packets;
    private readonly PayloadTypeSet _passTypes;
    private readonly uint _egressInterface;
    private readonly uint _spare2;

    /// <summary>The last sequence number the other party got from the kernel (with an SSRC of the relay's own).</summary>
    public ushort LastSequence => _lastSequence;

    /// <summary>The last timestamp the other party got from the kernel.</summary>
    public uint LastTimestamp => _lastTimestamp;

    /// <summary>Packets the kernel forwarded on this leg.</summary>
    public ulong Packets => _packets;

    /// <summary>The sender's stream the leg rewrites.</summary>
    public uint InputSsrc => _inputSsrc;

    /// <summary>The last sequence number the party sent that the kernel relayed.</summary>
    public ushort LastInputSequence => unchecked((ushort)(_lastSequence - _sequenceOffset));

    /// <summary>Whether the kernel leaves packets of <paramref name="payloadType"/> to user space.</summary>
    public bool LeavesToUserSpace(int payloadType) => _passTypes.Contains(payloadType);

    /// <summary>Whether the recorder got a copy of each packet (and with it the quality figures).</summary>
    public bool Copied => _record == 1;

    /// <param name="from">The party whose packets this leg takes (strict source): any other source goes to user space.</param>
    /// <param name="ourSide">Our address and port the other party knows us by.</param>
    /// <param name="to">The other party.</param>
    /// <param name="id">The recorder's leg number in the ring's copies.</param>
    /// <param name="ssrc">The SSRC the other party sees; 0 keeps the sender's (and the sequence and timestamp as sent).</param>
    /// <param name="inputSsrc">With <paramref name="ssrc"/>: the sender's SSRC the offsets are for; a packet of another stream goes to user space.</param>
    /// <param name="ring">The recorder's ring the copies go to (<see cref="KernelRelayProgram.OpenRing"/>): its poll thread's.</param>
    /// <param name="passTypes">Payload types user space must still see (telephone-event while *1 is armed).</param>
    /// <param name="ourSide">Our address and port the other party knows us by; address 0.0.0.0: the one the packet came to.</param>
    /// <param name="egressInterface">The interface index towards <paramref name="to"/> (<see cref="EgressInterfaces"/>); 0: on this host.</param>
    public KernelLeg(IPEndPoint from, IPEndPoint ourSide, IPEndPoint to, ushort id, uint ssrc = 0, uint inputSsrc = 0, ushort sequenceOffset = 0,
        uint timestampOffset = 0, PayloadTypeSet passTypes = default, bool record = true, uint ring = 0, int egressInterface = 0)
    {
        _egressInterface = (uint)egressInterface;
        _expectAddress = Address(from);
        _sourceAddress = ourSide.Address.Equals(IPAddress.Any) ? 0 : Address(ourSide);
        _destinationAddress = Address(to);
        _expectPort = NetworkOrder(from.Port);
        _sourcePort = NetworkOrder(ourSide.Port);
        _destinationPort = NetworkOrder(to.Port);
        _id = id;
        _ssrc = ssrc;
        _timestampOffset = timestampOffset;
        _sequenceOffset = sequenceOffset;
        _passTypes = passTypes;
        _record = record ? (byte)1 : (byte)0;
        _inputSsrc = inputSsrc;
        _ring = ring;
    }

    // The map holds addresses and ports as they are on the wire: the bytes in memory in network order.
    private static uint Address(IPEndPoint endpoint) => MemoryMarshal.Read<uint>(endpoint.Address.MapToIPv4().GetAddressBytes());

    private static ushort NetworkOrder(int port) => (ushort)IPAddress.HostToNetworkOrder((short)port);
}
