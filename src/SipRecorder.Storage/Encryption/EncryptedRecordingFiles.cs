using System.Security.Cryptography;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Encryption;

/// <summary>
/// Recording files encrypted at rest over any store (local or S3): what the encoders write is encrypted as it goes
/// (<see cref="EncryptedStream"/>, a data key per recording from <see cref="RecordingKeys"/>), and reads decrypt, range
/// by range. Files made before encryption was on stay plain and read as they are; an encrypted file this server has
/// no key for fails with a <see cref="RecordingKeyException"/> that says why.
/// </summary>
/// <param name="organizationOfFolder">Whose key encrypts a new recording in a folder (an extension's folder: its owner's organization).</param>
public sealed class EncryptedRecordingFiles(IRecordingFiles store, RecordingKeys keys, Func<string, string> organizationOfFolder) : IRecordingFiles
{
    public NewRecordingFile Create(string folder, string name)
    {
        DataKey? dataKey;
        try
        {
            dataKey = keys.NewDataKey(organizationOfFolder(folder));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or CryptographicException or InvalidOperationException)
        {
            // No key, no recording: a call recorded in clear by accident is what encryption is there to prevent.
            throw new RecordingKeyException($"no key to encrypt the recording with: {e.Message}", e);
        }
        var file = store.Create(folder, name);
        if (dataKey is null) return file;
        try
        {
            return file with { Stream = EncryptedStream.Create(file.Stream, dataKey.Key, dataKey.Envelope) };
        }
        catch (IOException)
        {
            file.Stream.Dispose();
            throw;
        }
    }

    public void Finished(string location) => store.Finished(location);

    public Stream? OpenRead(string location)
    {
        if (store.OpenRead(location) is not { } stored) return null;
        try
        {
            return IsEncrypted(stored) ? EncryptedStream.Open(stored, keys.OpenEnvelope) : stored;
        }
        catch (Exception e) when (e is InvalidDataException or RecordingKeyException)
        {
            stored.Dispose();
            throw e as RecordingKeyException ?? new RecordingKeyException($"the encrypted recording cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The file as stored (encrypted or not): what an organization holding its own private key downloads.</summary>
    public Stream? OpenStored(string location) => store.OpenRead(location);

    public Stream OpenForRepair(string location)
    {
        var stored = store.OpenForRepair(location);
        try
        {
            return IsEncrypted(stored) ? EncryptedStream.OpenForRepair(stored, keys.OpenEnvelope) : stored;
        }
        catch
        {
            stored.Dispose();
            throw;
        }
    }

    public long Size(string location) => store.Size(location);

    public void Delete(string location) => store.Delete(location);

    public void OverwriteStart(string location, ReadOnlySpan<byte> bytes) => store.OverwriteStart(location, bytes);

    /// <summary>
    /// Gives an encrypted file the envelope <paramref name="rewrap"/> makes of its own (null: leave it), rewriting its
    /// header only. False when the file is gone, plain, or left as it was.
    /// </summary>
    public bool RewrapEnvelope(string location, Func<byte[], byte[]?> rewrap)
    {
        var bytes = new byte[EncryptedStream.HeaderSize];
        using (var stored = store.OpenRead(location))
        {
            if (stored is null || !IsEncrypted(stored) || stored.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length) return false;
        }
        var header = new MemoryStream();
        header.Write(bytes);
        if (rewrap(EncryptedStream.ReadEnvelope(header)) is not { } envelope) return false;
        EncryptedStream.WriteEnvelope(header, envelope);
        store.OverwriteStart(location, header.ToArray());
        return true;
    }

    private static bool IsEncrypted(Stream stored)
    {
        var encrypted = EncryptedStream.IsEncrypted(stored);
        stored.Position = 0;
        return encrypted;
    }
}
