using SipRecorder.Pbx.Directory;

namespace SipRecorder.Server.Web.Api;

/// <summary>The organization an admin acts on: an OrgAdmin's own, whatever they ask; an Admin's the one they name.</summary>
internal static class AdminOrganization
{
    /// <param name="asked">What the request names (query or body); an OrgAdmin's is ignored.</param>
    /// <param name="what">What is for admins only, for the refusal ("legal holds", "erasure").</param>
    /// <param name="required">An Admin must name one (to change something); otherwise null means all.</param>
    /// <param name="howToName">How an Admin names it, for the 400 (<c>?organization=NAME</c>).</param>
    public static string? Of(HttpContext http, string? asked, string what, bool required, string howToName, out IResult? problem)
    {
        problem = null;
        var viewer = http.Current().User;
        switch (viewer.Role)
        {
            case Role.User:
                problem = ApiError.Forbidden($"{what} are for organization admins");
                return null;
            case Role.OrgAdmin:
                return viewer.Organization;
            default:
                if (required && string.IsNullOrWhiteSpace(asked)) problem = ApiError.BadRequest($"organization is required: {howToName}");
                return string.IsNullOrWhiteSpace(asked) ? null : asked.Trim();
        }
    }
}
