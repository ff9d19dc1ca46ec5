namespace SipRecorder.IntegrationTests;

/// <summary>The command line a test server runs with, in process or as its own process: all on 127.0.0.1, its own ports.</summary>
internal static class ServerArguments
{
    /// <param name="httpPort">0: Kestrel picks one.</param>
    public static string[] For(int sipPort, int httpPort, int mediaBase, int mediaPorts, string dataDirectory, string provisioningFile) =>
    [
        "--Sip:ListenAddress=127.0.0.1", $"--Sip:Port={sipPort}", "--Sip:Tls:Port=0", $"--urls=http://127.0.0.1:{httpPort}",
        $"--Media:PortMin={mediaBase}", $"--Media:PortMax={mediaBase + mediaPorts - 1}",
        $"--Storage:DataDirectory={dataDirectory}", $"--Provisioning:File={provisioningFile}", "--Logging:LogLevel:Default=Warning",
    ];
}
