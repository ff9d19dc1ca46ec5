namespace SipRecorder.Pbx.Directory;

/// <summary>One side of a call as people see it: a number and, when known, a name (Caller ID).</summary>
public sealed record CallParty(string Number, string? Name)
{
    public override string ToString() => Name is null ? Number : $"{Name} <{Number}>";
}
