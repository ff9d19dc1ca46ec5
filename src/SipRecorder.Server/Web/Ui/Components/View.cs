using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SipRecorder.Server.Web.Ui.Components;

/// <summary>A page as the response: its component rendered on the server (no interactivity, no script of Blazor's).</summary>
internal static class View
{
    public static IResult Render<TPage>(PageFrame frame, object? model = null, int status = StatusCodes.Status200OK) where TPage : IComponent
    {
        var parameters = new Dictionary<string, object?> { ["Frame"] = frame };
        if (model is not null) parameters["Model"] = model;
        return new RazorComponentResult<TPage>(parameters) { StatusCode = status };
    }

    public static IResult NotFound(PageFrame frame) => Render<NotFoundView>(frame, status: StatusCodes.Status404NotFound);
}
