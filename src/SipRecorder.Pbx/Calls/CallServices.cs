using SipRecorder.Media.KernelRelay;
using SipRecorder.Media.Recording;
using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;
using SipRecorder.Media.Srtp.Dtls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// What every call is handed when it is admitted and shares with the others: the SIP transactions, routing, media
/// ports and mixers, the recordings' files and catalogue, the directory (an organization's feature codes), the settings
/// and the clock. Read-only; what a call tells
/// back goes through <see cref="ICallRegistry"/>.
/// </summary>
/// <param name="LocalAddress">Our Via/Contact address; a function because the SIP port is known only once the transport is bound.</param>
/// <param name="Kernel">Relays established calls' RTP in the kernel; null: user space only (Media:KernelRelay).</param>
/// <param name="OwnDtls">Our DTLS certificate when one was handed in; otherwise the process's own, made on first use.</param>
internal sealed record CallServices(SipTransactionLayer Transactions, Func<LocalAddress> LocalAddress, CallRouter Router, RtpPortPool Ports,
    RelayCounters RelayCounters, MixerPool Mixers, IRecordingFiles Files, RecordingJournal Journal, ConferenceRooms Rooms, IDirectory Directory,
    B2buaSettings Settings, TimeProvider Time, DtlsIdentity? OwnDtls, KernelFastPath? Kernel)
{
    public LocalAddress Local => LocalAddress();

    public DtlsIdentity Dtls => OwnDtls ?? DtlsIdentity.Shared;
}
