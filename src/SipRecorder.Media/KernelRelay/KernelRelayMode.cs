namespace SipRecorder.Media.KernelRelay;

/// <summary>Media:KernelRelay: whether established calls' RTP is relayed by the eBPF program instead of the process.</summary>
public enum KernelRelayMode
{
    /// <summary>Every packet through the process's sockets.</summary>
    Off,

    /// <summary>The kernel where it allows it; otherwise the process, after one log line saying why.</summary>
    Auto,

    /// <summary>The kernel, or the server does not start (an operator who sized the machine for it).</summary>
    Required,
}
