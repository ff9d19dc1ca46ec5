namespace SipRecorder.Media.Tests;

/// <summary>
/// Tests that send and receive real-time RTP on sockets run alone: beside the CPU-bound simulations (ten minutes of
/// synthetic call mixed in a second) the test host's thread pool delays their receive loops, a test artefact.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeSockets
{
    public const string Name = "real-time sockets";
}
