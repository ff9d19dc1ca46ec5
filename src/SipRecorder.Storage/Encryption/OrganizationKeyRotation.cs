using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Encryption;

/// <summary>What a key rotation did: the new key, the files re-wrapped to it, the ones it could not reach yet.</summary>
/// <param name="Pending">Recordings still being written or not uploaded yet, or that failed: they keep the old key,
/// which is therefore kept; a later rotation takes them.</param>
public sealed record KeyRotationReport(string Organization, long KeyId, int Rewrapped, IReadOnlyList<long> Pending, int KeysDeleted);

/// <summary>
/// Rotates an organization's key: a new one becomes current, every finished recording of the organization has its
/// data key re-wrapped with it (a header rewrite: the audio is not re-encrypted), and the old keys are deleted once no
/// file needs them. Recordings encrypted with the organization's own public key are left as they are.
/// </summary>
/// <param name="settle">How long after the new key is current the files are looked at: a recording that took the old key
/// a moment before (its file made, its row not written yet) is then in the catalogue, so it is re-wrapped or kept
/// pending instead of losing its key with the old one.</param>
public sealed class OrganizationKeyRotation(IRecordingStore recordings, EncryptedRecordingFiles files, RecordingKeys keys, TimeProvider time, TimeSpan settle)
{
    private const int Batch = 500;

    /// <summary>The rows of recordings starting are written within milliseconds; two seconds leave room for a busy catalogue.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(2);

    /// <exception cref="InvalidOperationException">No master key is configured.</exception>
    public async Task<KeyRotationReport> RotateAsync(string organization)
    {
        var current = keys.Rotate(organization);
        if (settle > TimeSpan.Zero) await Task.Delay(settle, time);
        var rewrapped = 0;
        var pending = new List<long>();
        var query = new RecordingQuery(new RecordingScope(organization, null), null, null, null, 1, Batch);
        for (var page = 1; ; page++)
        {
            var rows = recordings.Query(query with { Page = page }).Items;
            foreach (var entry in rows)
            {
                if (entry.Status == RecordingStatus.Recording)
                {
                    pending.Add(entry.Id); // its writer holds the file; its key stays until it can be re-wrapped
                    continue;
                }
                try
                {
                    if (files.RewrapEnvelope(entry.Path, envelope => Rewrap(envelope, current))) rewrapped++;
                }
                catch (IOException)
                {
                    pending.Add(entry.Id); // not uploaded yet, unreachable, or a key this server lacks: the old keys stay
                }
            }
            if (rows.Count < Batch) break;
        }
        var deleted = 0;
        if (pending.Count == 0)
        {
            foreach (var retired in keys.Retired(organization))
            {
                keys.Forget(retired);
                deleted++;
            }
        }
        return new KeyRotationReport(organization, current.Id, rewrapped, pending, deleted);
    }

    private byte[]? Rewrap(byte[] envelope, OrganizationKey current)
    {
        var (kind, keyId) = RecordingKeys.ReadEnvelope(envelope);
        return kind == KeyEnvelope.SealedKind && keyId != current.Id ? keys.Rewrap(envelope, current) : null;
    }
}
