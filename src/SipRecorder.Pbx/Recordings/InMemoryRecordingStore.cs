using SipRecorder.Media.Recording;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Recording rows in memory, for a PBX run without a database (tests, tools). Forgets everything at exit; the server
/// uses the SQLite store. Design: one lock around a list; nothing here is on a media path.
/// </summary>
public sealed class InMemoryRecordingStore : IRecordingStore
{
    private readonly Lock _lock = new();
    private readonly List<RecordingEntry> _rows = [];
    private readonly Dictionary<long, Waveform> _waveforms = [];
    private readonly Dictionary<long, RecordingDetails> _details = [];
    private readonly HashSet<long> _held = [];
    private readonly List<NumberHold> _numberHolds = [];
    private long _nextId;

    public long Add(RecordingEntry entry)
    {
        lock (_lock)
        {
            var row = entry with { Id = ++_nextId };
            _rows.Add(row);
            return row.Id;
        }
    }

    public Waveform? Waveform(long id)
    {
        lock (_lock) return _waveforms.GetValueOrDefault(id);
    }

    public RecordingDetails? Details(long id)
    {
        lock (_lock) return _details.GetValueOrDefault(id);
    }

    public void NoteTransfer(long id, RecordingTransfer transfer)
    {
        lock (_lock)
        {
            var index = _rows.FindIndex(r => r.Id == id);
            if (index >= 0) _rows[index] = _rows[index] with { Transfer = transfer };
        }
    }

    public void Complete(long id, RecordingStatus status, long sizeBytes, TimeSpan duration, string? stopReason, Waveform? waveform = null, RecordingDetails? details = null)
    {
        lock (_lock)
        {
            var index = _rows.FindIndex(r => r.Id == id);
            if (index < 0) return;
            _rows[index] = _rows[index] with { Status = status, SizeBytes = sizeBytes, Duration = duration, StopReason = stopReason };
            if (waveform is not null) _waveforms[id] = waveform;
            if (details is not null) _details[id] = details;
        }
    }

    public RecordingEntry? Find(long id)
    {
        lock (_lock) return _rows.Find(r => r.Id == id) is { } row ? Shown(row) : null;
    }

    public RecordingPage Query(RecordingQuery query)
    {
        lock (_lock)
        {
            var matches = _rows.Where(r => InScope(r, query.Scope)
                    && (query.UserLogin is null || r.UserLogin.Equals(query.UserLogin, StringComparison.OrdinalIgnoreCase))
                    && (query.Folder is null || r.Folder == query.Folder)
                    && (query.Text is null || Matches(r, query.Text))
                    && (query.Since is not { } since || r.CreatedAt >= since)
                    && (query.Before is not { } before || r.CreatedAt < before)
                    && (query.Direction is not { } direction || r.Direction == direction)
                    && (query.Status is not { } status || r.Status == status)
                    && (query.Number is not { Length: > 0 } number
                        || r.FromNumber.StartsWith(number, StringComparison.Ordinal) || r.ToNumber.StartsWith(number, StringComparison.Ordinal)));
            Func<RecordingEntry, long> key = query.Sort switch
            {
                RecordingSort.Duration => r => (long)r.Duration.TotalMilliseconds,
                RecordingSort.Size => r => r.SizeBytes,
                _ => r => r.CreatedAt.ToUnixTimeMilliseconds(),
            };
            var ordered = (query.Ascending ? matches.OrderBy(key).ThenBy(r => r.Id) : matches.OrderByDescending(key).ThenByDescending(r => r.Id)).ToList();
            return new RecordingPage(ordered.Count, query.Page, query.PageSize, ordered.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).Select(Shown).ToList());
        }
    }

    public IReadOnlyList<string> Folders(RecordingScope scope, string? userLogin)
    {
        lock (_lock)
            return _rows.Where(r => InScope(r, scope) && (userLogin is null || r.UserLogin.Equals(userLogin, StringComparison.OrdinalIgnoreCase)))
                .Select(r => r.Folder).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public bool Delete(long id)
    {
        lock (_lock)
        {
            if (_rows.Find(r => r.Id == id) is not { } row || IsHeld(row)) return false;
            _waveforms.Remove(id);
            _details.Remove(id);
            return _rows.Remove(row);
        }
    }

    public bool SetHold(long id, DateTimeOffset? since)
    {
        lock (_lock)
        {
            if (!_rows.Exists(r => r.Id == id)) return false;
            if (since is null) _held.Remove(id);
            else _held.Add(id);
            return true;
        }
    }

    public void HoldNumber(NumberHold hold)
    {
        lock (_lock)
        {
            if (!_numberHolds.Exists(h => SameNumber(h, hold.Organization, hold.Number))) _numberHolds.Add(hold);
        }
    }

    public bool ReleaseNumber(string organization, string number)
    {
        lock (_lock) return _numberHolds.RemoveAll(h => SameNumber(h, organization, number)) > 0;
    }

    public IReadOnlyList<NumberHold> NumberHolds(string? organization)
    {
        lock (_lock)
            return _numberHolds.Where(h => organization is null || h.Organization.Equals(organization, StringComparison.OrdinalIgnoreCase))
                .OrderBy(h => h.Organization, StringComparer.OrdinalIgnoreCase).ThenBy(h => h.Number, StringComparer.Ordinal).ToList();
    }

    private static bool SameNumber(NumberHold hold, string organization, string number) =>
        hold.Organization.Equals(organization, StringComparison.OrdinalIgnoreCase) && hold.Number == number;

    private bool IsHeld(RecordingEntry row) =>
        _held.Contains(row.Id) || _numberHolds.Exists(h => SameNumber(h, row.Organization, row.FromNumber) || SameNumber(h, row.Organization, row.ToNumber));

    private RecordingEntry Shown(RecordingEntry row) => row with { Held = IsHeld(row) };

    public long FinishedBytes(string organization, string? userLogin)
    {
        lock (_lock)
            return _rows.Where(r => r.Status != RecordingStatus.Recording && r.Organization == organization && (userLogin is null || r.UserLogin == userLogin))
                .Sum(r => r.SizeBytes);
    }

    public IReadOnlyList<RecordingEntry> InProgress(string? node = null)
    {
        lock (_lock) return _rows.Where(r => r.Status == RecordingStatus.Recording && (node is null || r.Node == node)).ToList();
    }

    public bool Abandon(long id, string detail)
    {
        lock (_lock)
        {
            var index = _rows.FindIndex(r => r.Id == id && r.Status == RecordingStatus.Recording);
            if (index < 0) return false;
            _rows[index] = _rows[index] with { Status = RecordingStatus.Failed, StopReason = RecordingEntry.AbandonedPrefix + detail };
            return true;
        }
    }

    public IReadOnlyList<RecordingEntry> Unfinished(string node)
    {
        lock (_lock)
            return _rows.Where(r => r.Node == node && (r.Status == RecordingStatus.Recording
                || (r.Status == RecordingStatus.Failed && (r.StopReason?.StartsWith(RecordingEntry.AbandonedPrefix, StringComparison.Ordinal) ?? false)))).ToList();
    }

    public IReadOnlyList<RecordingEntry> FinishedBefore(string extension, DateTimeOffset cutoff)
    {
        lock (_lock) return _rows.Where(r => r.Extension == extension && r.Status != RecordingStatus.Recording && r.CreatedAt < cutoff && !IsHeld(r)).ToList();
    }

    private static bool InScope(RecordingEntry row, RecordingScope scope) =>
        (scope.Organization is null || row.Organization.Equals(scope.Organization, StringComparison.OrdinalIgnoreCase))
        && (scope.UserLogin is null || row.UserLogin.Equals(scope.UserLogin, StringComparison.OrdinalIgnoreCase));

    private static bool Matches(RecordingEntry row, string text) =>
        row.FromNumber.Contains(text, StringComparison.OrdinalIgnoreCase) || row.ToNumber.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (row.FromName?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false) || (row.ToName?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false);
}
