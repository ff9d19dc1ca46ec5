using SipRecorder.Pbx.Provisioning;

namespace SipRecorder.Server.Tests;

public class StartupTests
{
    [Fact]
    public void A_bad_provisioning_file_stops_the_start_with_the_entry_and_field()
    {
        var file = Path.GetTempFileName();
        var data = Path.Combine(Path.GetTempPath(), "siprec-start-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(file, """{ "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "x", "extensions": [ { "number": "2003", "sipPassword": "y", "recording": { "autoDeleteDays": 90 } } ] } ] } ] }""");
            var error = Assert.Throws<ProvisioningException>(() => SipRecorderApp.Build([$"--Provisioning:File={file}", $"--Storage:DataDirectory={data}", "--Sip:Port=0"]));
            Assert.Contains("extensions[0] \"2003\" recording autoDeleteDays: 90 is outside 0-60", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }

    [Fact]
    public void A_tls_certificate_that_cannot_be_read_stops_the_start_with_its_setting()
    {
        var data = Path.Combine(Path.GetTempPath(), "siprec-start-" + Guid.NewGuid().ToString("N"));
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => SipRecorderApp.Build([$"--Storage:DataDirectory={data}", "--Sip:Port=0",
                $"--Sip:Tls:Certificate={data}/missing.pem", $"--Sip:Tls:Key={data}/missing-key.pem"]));
            Assert.Contains("Sip:Tls:Certificate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }

    [Fact]
    public async Task Without_urls_the_web_ui_listens_on_127_0_0_1_port_8080_from_appsettings()
    {
        // Run from a folder without appsettings.json, as `dotnet run` from the repository root does.
        var data = Path.Combine(Path.GetTempPath(), "siprec-urls-" + Guid.NewGuid().ToString("N"));
        var previous = Directory.GetCurrentDirectory();
        Directory.CreateDirectory(data);
        Directory.SetCurrentDirectory(data);
        try
        {
            var app = SipRecorderApp.Build([$"--Storage:DataDirectory={data}", "--Sip:Port=0"]);
            Assert.Equal("http://127.0.0.1:8080", app.Configuration["Urls"]);
            await app.DisposeAsync();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            if (Directory.Exists(data)) Directory.Delete(data, true);
        }
    }
}
