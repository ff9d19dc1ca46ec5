using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SipRecorder.Server.Web.Api;

/// <summary>
/// Tells the OpenAPI document's readers how scripts sign in: a personal API token (or a login's session token) as a
/// Bearer token on every /api request; the portal's own cookie is for browsers and is left out.
/// </summary>
internal sealed class ApiTokenSecurityScheme : IOpenApiDocumentTransformer
{
    public const string Name = "apiToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal API token (srk_..., created on the portal's API tokens page or by POST /api/tokens) or the token POST /api/auth/login returns.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Name, document)] = [] });
        return Task.CompletedTask;
    }
}
