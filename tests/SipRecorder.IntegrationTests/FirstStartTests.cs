using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace SipRecorder.IntegrationTests;

/// <summary>README's first start: a fresh data directory with nobody in it gets an Admin "admin" whose password only the
/// server's user can read.</summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FirstStartTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-first-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public async Task A_fresh_server_creates_admin_with_a_password_only_its_own_user_can_read_and_keeps_it_across_a_restart()
    {
        // The temporary folder is 0700, which alone would keep others out: open it as a data directory's parents usually are,
        // so only the file's own mode stands between another user and the password.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        var data = Path.Combine(_root, "data");
        var passwordFile = Path.Combine(data, "initial-admin-password");
        string password;
        await using (var server = await ServerProcess.StartAsync(data, provisioningFile: "", TestPorts.Free(), TestPorts.MediaRange(100)))
        {
            Assert.True(File.Exists(passwordFile), $"no {passwordFile}; server log:\n{server.Log}");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
            var (code, output) = await RunAsNobody("cat", passwordFile);
            Assert.True(code != 0 && output.Contains("Permission denied", StringComparison.Ordinal), $"another user read it: exit {code}, {output}");
            password = (await File.ReadAllTextAsync(passwordFile)).Trim();
            Assert.True(password.Length >= 16, $"a {password.Length}-character password");

            using var admin = await PortalClient.LogInAsync(server.HttpAddress, "admin", password);
            var me = await admin.GetFromJsonAsync<JsonElement>("/api/auth/me");
            Assert.Equal("Admin", me.GetProperty("role").GetString());
            Assert.Contains(passwordFile, server.Log, StringComparison.Ordinal); // the log says where it is ...
            Assert.DoesNotContain(password, server.Log, StringComparison.Ordinal); // ... and never what it is
        }

        // A second start finds its user: the password stays, and so does the file.
        await using (var again = await ServerProcess.StartAsync(data, provisioningFile: "", TestPorts.Free(), TestPorts.MediaRange(100)))
        {
            Assert.Equal(password, (await File.ReadAllTextAsync(passwordFile)).Trim());
            using var admin = await PortalClient.LogInAsync(again.HttpAddress, "admin", password);
            Assert.Equal("admin", (await admin.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("login").GetString());
        }
    }

    private static async Task<(int Code, string Output)> RunAsNobody(params string[] command)
    {
        var start = new ProcessStartInfo("/usr/sbin/runuser") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["-u", "nobody", "--", .. command]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
