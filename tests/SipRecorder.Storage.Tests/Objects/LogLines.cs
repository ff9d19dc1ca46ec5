using Microsoft.Extensions.Logging;

namespace SipRecorder.Storage.Tests.Objects;

/// <summary>A logger that keeps its lines, for a failure message that says what the code under test said.</summary>
internal sealed class LogLines<T> : ILogger<T>
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");

    public override string ToString() => string.Join('\n', _lines);
}
