using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using SipRecorder.IntegrationTests.Media;
using SipRecorder.Storage.Objects;
using SipRecorder.Storage.Tests.Objects;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The server with Storage:Recordings:Kind = s3 against a real S3 API server (s3rver): a call's recording goes to the
/// bucket when the call ends, the portal plays it from there (with HTTP Range) and deleting it deletes the object.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class ObjectStoreWithSippTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("siprec-s3-").FullName;
    private readonly S3rver _store = new();

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, true);
    }

    [Fact]
    public async Task A_recorded_call_ends_up_in_the_bucket_plays_from_there_with_ranges_and_deleting_it_deletes_the_object()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, OneExtension.Provisioning(trunkPort, OneExtension.AlwaysRecorded));
        var data = Path.Combine(_root, "data");
        await using var server = await ServerProcess.StartAsync(data, provisioning, sipPort, TestPorts.MediaRange(100), extraArguments:
            ["--Storage:Recordings:Kind=s3", "--Storage:Recordings:Bucket=recordings", $"--Storage:Recordings:Endpoint={_store.Endpoint}",
             "--Storage:Recordings:AccessKey=S3RVER", "--Storage:Recordings:SecretKey=S3RVER", "--Storage:Recordings:Prefix=acme/"]);

        await OneExtension.CallProviderAsync(sipPort, trunkPort, talkMs: 3000);

        using var s3 = S3RecordingFiles.Client(_store.Options("recordings"));
        var spool = Path.Combine(data, "recordings", "2003");
        List<S3Object> objects = [];
        for (var i = 0; i < 100; i++)
        {
            objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? [];
            if (objects.Count == 1 && Directory.GetFiles(spool).Length == 0) break;
            await Task.Delay(100);
        }
        var stored = Assert.Single(objects);
        Assert.StartsWith("acme/2003/", stored.Key, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(spool)); // uploaded, checked, and gone from the spool
        var original = new MemoryStream();
        using (var got = await s3.GetObjectAsync("recordings", stored.Key)) await got.ResponseStream.CopyToAsync(original);

        using (var plain = new HttpClient { BaseAddress = server.HttpAddress })
        {
            var metrics = await plain.GetStringAsync("/metrics");
            Assert.Contains("siprecorder_recording_uploads_total{result=\"uploaded\"} 1", metrics, StringComparison.Ordinal);
            Assert.Contains("siprecorder_recordings_spooled 0", metrics, StringComparison.Ordinal);
        }

        using var web = await PortalClient.LogInAsync(server.HttpAddress, "otto", "web-pw");
        var item = (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Complete", item.GetProperty("status").GetString());
        Assert.Equal(original.Length, item.GetProperty("sizeBytes").GetInt64());
        var id = item.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/recordings/{id}/audio");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var partial = await web.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(original.ToArray()[1000..2000], await partial.Content.ReadAsByteArrayAsync());
        var wavPath = Path.Combine(_root, "played.wav");
        await File.WriteAllBytesAsync(wavPath, await web.GetByteArrayAsync($"/api/recordings/{id}/audio"));
        var wav = StereoWav.Read(wavPath);
        Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1000), "the caller's tone is not on the left of what the portal played");

        Assert.Equal(HttpStatusCode.NoContent, (await web.DeleteAsync($"/api/recordings/{id}")).StatusCode);
        Assert.Empty((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? []);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync($"/api/recordings/{id}/audio")).StatusCode);
    }

    [Fact]
    public async Task Erasing_a_number_deletes_its_objects_from_the_bucket_except_what_a_legal_hold_keeps()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var provisioning = Path.Combine(_root, "provisioning.json");
        // The smallest PBX with an admin: erasure is theirs.
        await File.WriteAllTextAsync(provisioning, OneExtension.Provisioning(trunkPort, OneExtension.AlwaysRecorded)
            .Replace("] } ] } ],", "] }, { \"login\": \"olga\", \"password\": \"web-pw\", \"role\": \"OrgAdmin\" } ] } ],", StringComparison.Ordinal));
        var data = Path.Combine(_root, "data");
        await using var server = await ServerProcess.StartAsync(data, provisioning, sipPort, TestPorts.MediaRange(100), extraArguments:
            ["--Storage:Recordings:Kind=s3", "--Storage:Recordings:Bucket=recordings", $"--Storage:Recordings:Endpoint={_store.Endpoint}",
             "--Storage:Recordings:AccessKey=S3RVER", "--Storage:Recordings:SecretKey=S3RVER"]);
        await OneExtension.CallProviderAsync(sipPort, trunkPort, talkMs: 1500);
        await OneExtension.CallProviderAsync(sipPort, trunkPort, talkMs: 1500);

        using var s3 = S3RecordingFiles.Client(_store.Options("recordings"));
        List<S3Object> objects = [];
        for (var i = 0; i < 100 && objects.Count < 2; i++)
        {
            objects = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? [];
            await Task.Delay(100);
        }
        Assert.Equal(2, objects.Count);
        using var olga = await PortalClient.LogInAsync(server.HttpAddress, "olga", "web-pw");
        var ids = (await olga.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Order().ToList();
        Assert.Equal(HttpStatusCode.OK, (await olga.PostAsync($"/api/recordings/{ids[0]}/hold", null)).StatusCode);

        var receipt = await (await olga.PostAsJsonAsync("/api/erasures", new { number = "0046701234" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([ids[1]], receipt.GetProperty("deleted").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal([ids[0]], receipt.GetProperty("held").EnumerateArray().Select(i => i.GetInt64()));
        var left = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? [];
        Assert.Single(left); // the held one's object, and only it
        Assert.Equal(HttpStatusCode.OK, (await olga.GetAsync($"/api/recordings/{ids[0]}/audio")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await olga.GetAsync($"/api/recordings/{ids[1]}/audio")).StatusCode);
    }

    [Fact]
    public async Task A_recording_cut_by_a_kill_is_repaired_in_the_spool_at_the_next_start_then_uploaded_and_played_from_the_bucket()
    {
        ScenarioMedia.Ensure();
        var trunkPort = TestPorts.Free();
        var sipPort = TestPorts.Free();
        var mediaBase = TestPorts.MediaRange(100);
        var provisioning = Path.Combine(_root, "provisioning.json");
        await File.WriteAllTextAsync(provisioning, OneExtension.Provisioning(trunkPort, OneExtension.AlwaysRecorded));
        var data = Path.Combine(_root, "data");
        string[] s3 = ["--Storage:Recordings:Kind=s3", "--Storage:Recordings:Bucket=recordings", $"--Storage:Recordings:Endpoint={_store.Endpoint}",
            "--Storage:Recordings:AccessKey=S3RVER", "--Storage:Recordings:SecretKey=S3RVER"];
        var spool = Path.Combine(data, "recordings", "2003");
        await using (var server = await ServerProcess.StartAsync(data, provisioning, sipPort, mediaBase, extraArguments: s3))
        {
            var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText(), "-timeout", "15s");
            var caller = Sipp.RunAsync($"127.0.0.1:{sipPort}", "call_out.xml", TestPorts.Free(), "-s", "0046701234",
                "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", "10000", "-mp", TestPorts.FreeText(), "-timeout", "15s");
            for (var i = 0; i < 200 && !(Directory.Exists(spool) && Directory.GetFiles(spool).Length > 0); i++) await Task.Delay(25);
            Assert.True(Directory.Exists(spool) && Directory.GetFiles(spool).Length == 1, "the recording never appeared in the spool");
            await Task.Delay(3000);
            server.Kill();
            await server.WaitForExitAsync();
            await Task.WhenAll(caller, trunk); // their call dies with the server
        }
        Assert.Single(Directory.GetFiles(spool)); // nothing was uploaded: the call never finished

        await using var restarted = await ServerProcess.StartAsync(data, provisioning, sipPort, mediaBase, extraArguments: s3);
        using var s3Client = S3RecordingFiles.Client(_store.Options("recordings"));
        List<S3Object> objects = [];
        for (var i = 0; i < 100 && (objects.Count == 0 || Directory.GetFiles(spool).Length > 0); i++)
        {
            objects = (await s3Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "recordings" })).S3Objects ?? [];
            await Task.Delay(100);
        }
        Assert.Single(objects);
        Assert.Empty(Directory.GetFiles(spool));
        using var web = await PortalClient.LogInAsync(restarted.HttpAddress, "otto", "web-pw");
        var item = (await web.GetFromJsonAsync<JsonElement>("/api/recordings")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Recovered", item.GetProperty("status").GetString());
        var wavPath = Path.Combine(_root, "recovered.wav");
        await File.WriteAllBytesAsync(wavPath, await web.GetByteArrayAsync($"/api/recordings/{item.GetProperty("id").GetInt64()}/audio"));
        var wav = StereoWav.Read(wavPath);
        Assert.InRange(wav.Seconds, 1.5, 4.5); // up to the kill, about three seconds in
        Assert.True(wav.Power(wav.Left, 440) > 10 * wav.Power(wav.Left, 1000), "the caller's tone is not on the left of the recovered recording");
    }
}
