namespace SipRecorder.Pbx.Recordings;

/// <summary>A job that runs on its own timer from <see cref="Start"/> until disposed (retention, the node sweeper).</summary>
public interface IPeriodicJob : IDisposable
{
    void Start();
}
