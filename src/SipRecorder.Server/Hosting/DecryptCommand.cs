using System.Security.Cryptography;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Server.Hosting;

/// <summary>
/// <c>SipRecorder.Server decrypt --private-key key.pem recording.wav.srec [out.wav]</c>: what an organization that gave
/// its own public key runs on its own machine to play a recording it downloaded; the server never sees the private key.
/// </summary>
internal static class DecryptCommand
{
    public const string Name = "decrypt";

    public static async Task<int> RunAsync(string[] args)
    {
        var rest = args.Skip(1).ToList();
        var keyAt = rest.IndexOf("--private-key");
        if (keyAt < 0 || keyAt + 1 >= rest.Count)
            return await Fail("usage: SipRecorder.Server decrypt --private-key key.pem recording.srec [output]");
        var keyFile = rest[keyAt + 1];
        rest.RemoveRange(keyAt, 2);
        if (rest.Count is < 1 or > 2) return await Fail("usage: SipRecorder.Server decrypt --private-key key.pem recording.srec [output]");
        var input = rest[0];
        var output = rest.Count == 2 ? rest[1] : input.EndsWith(".srec", StringComparison.OrdinalIgnoreCase) ? input[..^5] : input + ".decrypted";
        try
        {
            using var privateKey = RSA.Create();
            privateKey.ImportFromPem(await File.ReadAllTextAsync(keyFile));
            await using var stored = File.OpenRead(input);
            await using var recording = EncryptedStream.Open(stored, envelope => RecordingKeys.OpenWithPrivateKey(envelope, privateKey));
            await using var plain = new FileStream(output, FileMode.CreateNew, FileAccess.Write);
            await recording.CopyToAsync(plain);
            await Console.Out.WriteLineAsync($"{output}: {recording.Length} bytes{(recording.Finished ? "" : " (the recording was cut short)")}");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            return await Fail($"cannot decrypt {input}: {e.Message}");
        }
    }

    private static async Task<int> Fail(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return 2;
    }
}
