namespace SipRecorder.IntegrationTests;

/// <summary>
/// The test classes that drive real peers (SIPp, baresip) run one after another: on a 2-core machine several servers and
/// their peers at once starve each other's media loops, which is a test artefact, not what a user sees.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealPeers
{
    public const string Name = "real peers";
}

/// <summary>The tone pcaps the scenarios play, written once per test run (several fixtures need them).</summary>
internal static class ScenarioMedia
{
    private static readonly Lazy<bool> Written = new(() =>
    {
        var scenarios = Path.Combine(AppContext.BaseDirectory, "Scenarios");
        Media.TonePcap.Write(Path.Combine(scenarios, "caller.pcap"), 440, TimeSpan.FromSeconds(6), 0x11111111);
        Media.TonePcap.Write(Path.Combine(scenarios, "callee.pcap"), 1000, TimeSpan.FromSeconds(6), 0x22222222);
        return true;
    });

    public static void Ensure() => _ = Written.Value;
}
