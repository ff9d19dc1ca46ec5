using System.Net.Http.Json;
using System.Text.Json;

namespace SipRecorder.IntegrationTests;

/// <summary>An API client logged in through POST /api/auth/login, sending its token as Bearer.</summary>
internal static class PortalClient
{
    public static async Task<HttpClient> LogInAsync(Uri server, string login, string password)
    {
        var client = new HttpClient { BaseAddress = server };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { login, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
