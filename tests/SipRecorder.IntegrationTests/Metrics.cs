using System.Globalization;

namespace SipRecorder.IntegrationTests;

/// <summary>Reads a server's /metrics (Prometheus text) into name{labels} -> value.</summary>
internal static class Metrics
{
    public static Task<Dictionary<string, double>> ReadAsync(TestServer server) => ReadAsync(server.HttpAddress);

    public static async Task<Dictionary<string, double>> ReadAsync(Uri web)
    {
        using var client = new HttpClient { BaseAddress = web };
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
