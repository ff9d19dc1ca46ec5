using Microsoft.Extensions.Logging;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// With several nodes on one catalogue, a node killed mid-call leaves rows "Recording" that only it can repair (the
/// file is in its local spool). Each node says it is alive by renewing a lease named after it every quarter of
/// <paramref name="nodeLease"/>; one node at a time (the "node-sweeper" job lease) marks the rows of a node whose lease
/// ran out as Failed, so the portal stops showing a call in progress that ended long ago. If that node comes back,
/// <see cref="RecordingRecovery"/> still repairs them (see <see cref="IRecordingStore.Unfinished"/>).
/// </summary>
/// <param name="jobs">Leases held by this process (who runs the sweep).</param>
/// <param name="nodes">Leases held in this node's name (its heartbeat), so a restarted process renews its own at once.</param>
public sealed partial class NodeSweeper(IRecordingStore store, IJobLease jobs, IJobLease nodes, string node, TimeProvider time, TimeSpan nodeLease,
    ILogger<NodeSweeper> logger) : IPeriodicJob
{
    private ITimer? _timer;

    public static string HeartbeatOf(string node) => "node:" + node;

    /// <summary>Beats and sweeps now (before the SIP listener opens), then every quarter of the node lease.</summary>
    public void Start()
    {
        RunOnce();
        _timer = time.CreateTimer(_ => RunOnce(), null, nodeLease / 4, nodeLease / 4);
    }

    /// <summary>Renews this node's heartbeat and, when it is this node's turn, abandons dead nodes' rows; returns how many.</summary>
    public int RunOnce()
    {
        var now = time.GetUtcNow();
        var abandoned = 0;
        try
        {
            nodes.TryHold(HeartbeatOf(node), now, now + nodeLease);
            if (!jobs.TryHold("node-sweeper", now, now + (nodeLease / 2))) return 0;
            var aliveUntil = new Dictionary<string, DateTimeOffset?>();
            foreach (var row in store.InProgress())
            {
                if (row.Node.Length == 0 || row.Node == node) continue; // ours are being written: we are alive
                // A row whose node never beat (it died before its first beat) is given one lease from the row's start.
                if (!aliveUntil.TryGetValue(row.Node, out var beat)) aliveUntil[row.Node] = beat = nodes.HeldUntil(HeartbeatOf(row.Node));
                var alive = beat ?? row.CreatedAt + nodeLease;
                if (alive > now) continue;
                if (store.Abandon(row.Id, $"{row.Node} stopped answering at {alive:u}; it repairs the recording if it comes back"))
                {
                    abandoned++;
                    LogAbandoned(logger, row.Id, row.Node);
                }
            }
        }
        catch (System.Data.Common.DbException e)
        {
            LogFailed(logger, e.Message); // a timer's exception would end the process: try again next time
        }
        return abandoned;
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Id} marked Failed: its node {Node} stopped renewing its lease")]
    private static partial void LogAbandoned(ILogger logger, long id, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node heartbeat and sweep not run this time: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
