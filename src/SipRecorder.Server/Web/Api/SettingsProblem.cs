using SipRecorder.Server.Web.Ui;

namespace SipRecorder.Server.Web.Api;

/// <summary>Why recording settings were refused: said in English by the API and in the user's language by the portal.</summary>
public sealed record SettingsProblem(string Code, params object[] Values)
{
    public string In(Texts t) => t.Format("settings.error." + Code, Values);
}
