namespace SipRecorder.Media.Dtmf;

/// <summary>What a feature code dialled mid-call does to the dialling party's recording.</summary>
public enum FeatureAction
{
    /// <summary><c>*1</c> of an on-demand extension: starts recording, or stops it.</summary>
    ToggleRecording,
    /// <summary>Keeps what follows out of the file (a card number) until resumed.</summary>
    PauseRecording,
    ResumeRecording,
}

/// <summary>
/// The codes one party may dial mid-call, each two keys: a lead key (<c>*</c> or <c>#</c>) and a digit. Keys are the
/// RFC 4733 events 0-9, *, #, A-D as characters.
/// </summary>
public sealed class FeatureCodes
{
    /// <summary>The manual's code for recording on demand.</summary>
    public const string RecordOnDemand = "*1";

    private readonly Dictionary<(char Lead, char Key), FeatureAction> _actions = [];

    public FeatureCodes(IEnumerable<(string Code, FeatureAction Action)> codes)
    {
        foreach (var (code, action) in codes)
        {
            if (Problem(code) is { } problem) throw new ArgumentException(problem, nameof(codes));
            _actions[(code[0], code[1])] = action;
        }
    }

    public bool IsEmpty => _actions.Count == 0;

    /// <summary>True when <paramref name="key"/> may start one of the codes (so it is held back until the next key).</summary>
    public bool Leads(char key) => _actions.Keys.Any(code => code.Lead == key);

    public FeatureAction? Action(char lead, char key) => _actions.TryGetValue((lead, key), out var action) ? action : null;

    /// <summary>Why <paramref name="code"/> cannot be a feature code, or null when it can.</summary>
    public static string? Problem(string? code) =>
        code is { Length: 2 } && code[0] is '*' or '#' && char.IsAsciiDigit(code[1])
            ? null
            : $"a feature code is * or # followed by a digit (such as *2), not \"{code}\"";
}
