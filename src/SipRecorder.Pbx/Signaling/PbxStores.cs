using SipRecorder.Pbx.Persistence;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Pbx.Registrar;

namespace SipRecorder.Pbx.Signaling;

/// <summary>Where the PBX keeps what must outlive a restart; each is kept in memory when null.</summary>
/// <param name="IsTransient">Whether a store's error passes by itself (busy, locked, disk full): such writes are retried.</param>
/// <param name="Disk">The disk's room for recordings and the catalogue; unchecked when null.</param>
/// <param name="Node">This node's name in the catalogue's rows (Storage:NodeName).</param>
/// <param name="SharedBindings">Other nodes register phones in <see cref="Bindings"/> too: read them back every few seconds.</param>
public sealed record PbxStores(IRecordingStore? Recordings = null, IBindingStore? Bindings = null, Func<Exception, bool>? IsTransient = null,
    IDiskSpace? Disk = null, string Node = "", bool SharedBindings = false);
