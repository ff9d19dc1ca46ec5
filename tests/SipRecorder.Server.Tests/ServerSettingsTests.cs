using Microsoft.Extensions.Configuration;
using SipRecorder.Pbx.Directory;
using SipRecorder.Server.Configuration;

namespace SipRecorder.Server.Tests;

public class ServerSettingsTests
{
    private static ServerSettings Read(params (string Key, string Value)[] values) =>
        ServerSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var settings = Read();
        Assert.Equal("0.0.0.0", settings.Sip.ListenAddress);
        Assert.Equal(5060, settings.Sip.Port);
        Assert.Equal(10000, settings.Media.PortMin);
        Assert.Equal(20000, settings.Media.PortMax);
        Assert.Equal("127.0.0.1", settings.Media.Address);
        Assert.Equal("./data", settings.Storage.DataDirectory);
        Assert.Equal(RecordingFormat.Wav, settings.DefaultFormat);
        Assert.True(settings.Sip.Tls.Enabled);
        Assert.Equal(5061, settings.Sip.Tls.Port);
        Assert.False(settings.Media.SdesOverPlainTransport); // SRTP keys go only over TLS
        Assert.False(settings.Sip.Tls.AcceptAnyProviderCertificate);
    }

    [Fact]
    public void Tls_and_srtp_keys_are_read()
    {
        var settings = Read(("Sip:Tls:Port", "5071"), ("Sip:Tls:Enabled", "false"), ("Media:SdesOverPlainTransport", "true"),
            ("Sip:Tls:ProviderCertificateAuthorities", "/etc/ssl/provider-ca.pem"));
        Assert.Equal(5071, settings.Sip.Tls.Port);
        Assert.False(settings.Sip.Tls.Enabled);
        Assert.True(settings.Media.SdesOverPlainTransport);
        Assert.Equal("/etc/ssl/provider-ca.pem", settings.Sip.Tls.ProviderCertificateAuthorities);
    }

    [Fact]
    public void An_object_store_for_recordings_is_read()
    {
        Assert.Equal("local", Read().Storage.Recordings.Kind);
        var store = Read(("Storage:Recordings:Kind", "s3"), ("Storage:Recordings:Bucket", "recordings"), ("Storage:Recordings:Endpoint", "http://minio:9000"),
            ("Storage:Recordings:PathStyle", "false")).Storage.Recordings;
        Assert.Equal(("s3", "recordings", "http://minio:9000", false, 64), (store.Kind, store.Bucket, store.Endpoint, store.PathStyle, store.MultipartThresholdMb));
    }

    [Fact]
    public void Command_line_style_keys_override_defaults()
    {
        var settings = Read(("Sip:Port", "5070"), ("Sip:Domain", "pbx.example.com"), ("Media:Address", "192.0.2.10"), ("Recording:Format", "opus"));
        Assert.Equal(5070, settings.Sip.Port);
        Assert.Equal("pbx.example.com", settings.Sip.Domain);
        Assert.Equal("192.0.2.10", settings.Media.Address);
        Assert.Equal(RecordingFormat.Opus, settings.DefaultFormat);
    }

    [Theory]
    [InlineData("Sip:ListenAddress", "not-an-ip", "Configuration Sip:ListenAddress = 'not-an-ip' is not an IP address")]
    [InlineData("Media:PortMax", "9000", "Configuration Media:PortMax = '9000' must be above Media:PortMin and at most 65535")]
    [InlineData("Recording:Format", "flac", "Configuration Recording:Format = 'flac' is not one of wav, mp3, opus")]
    [InlineData("Sip:DigestAlgorithms", "SHA-1", "Configuration Sip:DigestAlgorithms = 'SHA-1' must list MD5 and/or SHA-256")]
    [InlineData("Sip:Port", "70000", "Configuration Sip:Port = '70000' is outside 0-65535")]
    [InlineData("Sip:Tls:Port", "-1", "Configuration Sip:Tls:Port = '-1' is outside 0-65535")]
    [InlineData("Sip:Tls:Certificate", "/etc/ssl/pbx.pem", "Configuration Sip:Tls:Certificate = '/etc/ssl/pbx.pem' and Sip:Tls:Key are given together (or neither, for a self-signed certificate)")]
    [InlineData("Sip:Edges", "127.0.0.1, no-such-host.invalid", "Configuration Sip:Edges = '127.0.0.1, no-such-host.invalid' holds 'no-such-host.invalid', which is no address (IP, IP:port or a host name that resolves)")]
    [InlineData("Storage:Catalog:Kind", "mysql", "Configuration Storage:Catalog:Kind = 'mysql' is not one of sqlite, postgres")]
    [InlineData("Storage:Catalog:Kind", "Postgres", "Configuration Storage:Catalog:ConnectionString = '' is empty (Kind is postgres)")]
    [InlineData("Storage:Recordings:Kind", "ftp", "Configuration Storage:Recordings:Kind = 'ftp' is not one of local, s3")]
    [InlineData("Storage:Recordings:Kind", "S3", "Configuration Storage:Recordings:Bucket = '' is empty (Kind is s3)")]
    [InlineData("Storage:Recordings:Endpoint", "minio:9000", "Configuration Storage:Recordings:Endpoint = 'minio:9000' is not an http(s) URL")]
    [InlineData("Storage:Recordings:AccessKey", "AKIA", "Configuration Storage:Recordings:AccessKey = 'AKIA' and Storage:Recordings:SecretKey are given together (or neither, for the SDK's own credentials)")]
    public void Bad_values_name_their_key(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read((key, value)));
        Assert.Equal(message, error.Message);
    }
}
