using System.Collections.Concurrent;
using System.Security.Cryptography;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Storage.Encryption;

/// <summary>A new recording's own key and its envelope for the file's header.</summary>
public sealed record DataKey(byte[] Key, byte[] Envelope);

/// <summary>
/// The key hierarchy of recordings at rest: each recording has its own data key; its envelope (in the file's header)
/// wraps it with its organization's key; the organization's key is kept in the catalogue sealed by the master key from
/// configuration, or is an RSA public key the organization gave, so that only they can open their recordings. A stolen
/// catalogue plus files opens nothing without the master key (or the organization's private key). Without a master key
/// configured, recordings are encrypted only for organizations with a public key of their own.
/// </summary>
/// <param name="master">The master key new organization keys are sealed by; null: none configured.</param>
/// <param name="previousMasters">Earlier master keys, still accepted (<see cref="ResealWithCurrentMaster"/> moves off them).</param>
public sealed class RecordingKeys(SqlOrganizationKeys store, MasterKey? master, IReadOnlyList<MasterKey> previousMasters, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, byte[]> _opened = new(); // organization keys by id: a key's material never changes

    public bool HasMasterKey => master is not null;

    /// <summary>
    /// A data key for a new recording of <paramref name="organization"/>, wrapped with its current key (made on first
    /// use); null when the organization's recordings are not encrypted here. Read from the catalogue each time, not
    /// cached: a rotation on another node counts from the next recording.
    /// </summary>
    public DataKey? NewDataKey(string organization)
    {
        var current = store.Current(organization);
        if (current is { PublicKey: { } publicKey })
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
            var forThem = RandomNumberGenerator.GetBytes(32);
            return new DataKey(forThem, KeyEnvelope.ToPublicKey(current.Id, rsa, forThem));
        }
        if (master is null) return null;
        current ??= MakeSealedKey(organization, onlyIfNone: true) ?? throw new InvalidOperationException($"organization {organization}: its first key was not stored");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        return new DataKey(dataKey, KeyEnvelope.Seal(current.Id, OrganizationKeyOf(current), dataKey));
    }

    /// <summary>The data key in a file's envelope.</summary>
    /// <exception cref="RecordingKeyException">Its key is not here, or the envelope was altered.</exception>
    public byte[] OpenEnvelope(byte[] envelope)
    {
        var (kind, keyId) = ReadEnvelope(envelope);
        if (kind == KeyEnvelope.PublicKeyKind)
            throw new RecordingKeyException("this recording is encrypted with its organization's own public key: only their private key opens it (download it and run `SipRecorder.Server decrypt`)")
            {
                ForOwnersPrivateKey = true,
            };
        var key = _opened.TryGetValue(keyId, out var known) ? known
            : OrganizationKeyOf(store.Find(keyId) ?? throw new RecordingKeyException($"this recording's organization key ({keyId}) is not in the catalogue: it was deleted, or the file belongs to another server"));
        try
        {
            return KeyEnvelope.OpenSealed(envelope, key);
        }
        catch (CryptographicException e)
        {
            throw new RecordingKeyException("this recording's key envelope does not open: the file was altered", e);
        }
    }

    /// <summary>
    /// The data key of a recording encrypted with an organization's public key, opened with their private key: what the
    /// organization runs on their own machine (<c>SipRecorder.Server decrypt</c>), never the server.
    /// </summary>
    /// <exception cref="RecordingKeyException">The envelope is not for a public key, or not this one's.</exception>
    public static byte[] OpenWithPrivateKey(byte[] envelope, RSA privateKey)
    {
        if (ReadEnvelope(envelope).Kind != KeyEnvelope.PublicKeyKind)
            throw new RecordingKeyException("this recording is encrypted with a key the server holds, not with a public key: play or download it from the portal");
        try
        {
            return KeyEnvelope.OpenWithPrivateKey(envelope, privateKey);
        }
        catch (CryptographicException e)
        {
            throw new RecordingKeyException("this private key does not open the recording: it was encrypted with another public key", e);
        }
    }

    /// <summary>The organization key an envelope names (what a rotation compares with the current one).</summary>
    public static (byte Kind, long KeyId) ReadEnvelope(byte[] envelope)
    {
        try
        {
            return KeyEnvelope.Read(envelope);
        }
        catch (InvalidDataException e)
        {
            throw new RecordingKeyException(e.Message, e);
        }
    }

    /// <summary>The envelope again, wrapped by <paramref name="current"/> (a server-held key): same data key, audio untouched.</summary>
    public byte[] Rewrap(byte[] envelope, OrganizationKey current) => KeyEnvelope.Seal(current.Id, OrganizationKeyOf(current), OpenEnvelope(envelope));

    public OrganizationKey? Current(string organization) => store.Current(organization);

    /// <summary>A new server-held key becomes the organization's current one (the one before is retired, kept until no file uses it).</summary>
    /// <exception cref="InvalidOperationException">No master key is configured to seal it.</exception>
    public OrganizationKey Rotate(string organization) =>
        MakeSealedKey(organization, onlyIfNone: false) ?? throw new InvalidOperationException($"organization {organization}: the new key was not stored");

    /// <summary>The organization's RSA public key (SubjectPublicKeyInfo) wraps its recordings from now on.</summary>
    /// <exception cref="ArgumentException">Not an RSA public key of 2048 to 3072 bits.</exception>
    public OrganizationKey UsePublicKey(string organization, byte[] subjectPublicKeyInfo)
    {
        using (var rsa = RSA.Create())
        {
            try
            {
                rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"not an RSA public key: {e.Message}", nameof(subjectPublicKeyInfo), e);
            }
            if (rsa.KeySize is < 2048 or > 3072) throw new ArgumentException($"an RSA key of {rsa.KeySize} bits: 2048 to 3072 are accepted", nameof(subjectPublicKeyInfo));
        }
        return store.MakeCurrent(new OrganizationKey(0, organization, null, null, subjectPublicKeyInfo, time.GetUtcNow(), null), onlyIfNone: false)
               ?? throw new InvalidOperationException($"organization {organization}: the public key was not stored");
    }

    /// <summary>Deletes a retired key no file uses any more.</summary>
    public void Forget(OrganizationKey retired)
    {
        if (store.DeleteRetired(retired.Id)) _opened.TryRemove(retired.Id, out _);
    }

    public IReadOnlyList<OrganizationKey> Retired(string organization) => store.Retired(organization);

    /// <summary>
    /// After the master key changed (the old one moved to the previous keys): every organization key sealed by an older
    /// one is sealed again by the current one, the recordings untouched. Returns how many were resealed and how many
    /// are sealed by a master key no longer configured (their recordings cannot be opened until it is).
    /// </summary>
    public (int Resealed, int Unknown) ResealWithCurrentMaster()
    {
        if (master is null) return (0, 0);
        int resealed = 0, unknown = 0;
        foreach (var key in store.SealedByOtherThan(master.Id))
        {
            if (previousMasters.FirstOrDefault(m => m.Id == key.MasterKeyId) is not { } previous)
            {
                unknown++;
                continue;
            }
            store.Reseal(key.Id, master.Id, master.Seal(previous.Open(key.SealedKey, key.Organization), key.Organization));
            resealed++;
        }
        return (resealed, unknown);
    }

    private OrganizationKey? MakeSealedKey(string organization, bool onlyIfNone)
    {
        if (master is null) throw new InvalidOperationException("no master key is configured (Storage:Encryption:MasterKey) to seal an organization key with");
        var key = RandomNumberGenerator.GetBytes(32);
        var made = store.MakeCurrent(new OrganizationKey(0, organization, master.Id, master.Seal(key, organization), null, time.GetUtcNow(), null), onlyIfNone);
        if (made is not null)
        {
            _opened[made.Id] = key;
            return made;
        }
        return onlyIfNone ? store.Current(organization) : null; // another node made the first key meanwhile: use theirs
    }

    private byte[] OrganizationKeyOf(OrganizationKey row)
    {
        if (_opened.TryGetValue(row.Id, out var known)) return known;
        if (row.SealedKey is null) throw new RecordingKeyException($"organization key {row.Id} is a public key: the server holds no private half");
        var sealer = master?.Id == row.MasterKeyId ? master : previousMasters.FirstOrDefault(m => m.Id == row.MasterKeyId);
        if (sealer is null)
            throw new RecordingKeyException($"organization {row.Organization}'s key is sealed by master key {row.MasterKeyId}, which is not configured here (Storage:Encryption:MasterKey)");
        try
        {
            return _opened[row.Id] = sealer.Open(row.SealedKey, row.Organization);
        }
        catch (CryptographicException e)
        {
            throw new RecordingKeyException($"organization {row.Organization}'s key does not open with master key {sealer.Id}: the catalogue was altered", e);
        }
    }
}
