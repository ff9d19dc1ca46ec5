using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Registrar;

namespace SipRecorder.Pbx.Signaling;

/// <summary>Where the PBX keeps what must outlive a restart; each is kept in memory when null.</summary>
public sealed record PbxStores(IRecordingStore? Recordings = null, IBindingStore? Bindings = null);
