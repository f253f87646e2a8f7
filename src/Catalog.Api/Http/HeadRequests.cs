using Microsoft.AspNetCore.Http.Features;

namespace Catalog.Api.Http;

/// <summary>
/// <c>HEAD</c> on every <c>GET</c> (RFC 9110 §9.3.2): the request is routed as the <c>GET</c> it asks about and answered
/// with that <c>GET</c>'s status and headers — media with Content-Length, ETag, Accept-Ranges — and no body. Endpoints see
/// <c>HEAD</c> again once routed, so a file result sets its headers and never reads the file; whatever else an endpoint
/// or an error handler writes goes nowhere. A method with no <c>GET</c> beside it stays a 405.
/// </summary>
public static class HeadRequests
{
    private static readonly object Marker = new();

    /// <summary>
    /// Routes the application itself: the part before routing, <paramref name="beforeRouting"/> (exception handling, guards,
    /// Swagger), runs with a <c>HEAD</c> seen as <c>GET</c> and its body discarded; the endpoints after it see <c>HEAD</c>.
    /// </summary>
    public static WebApplication UseRoutingWithHead(this WebApplication app, Action<WebApplication> beforeRouting)
    {
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }
            context.Request.Method = HttpMethods.Get;
            context.Items[Marker] = true;
            var body = context.Features.Get<IHttpResponseBodyFeature>()!;
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
            try
            {
                await next(context);
            }
            finally
            {
                context.Features.Set(body);
            }
        });
        beforeRouting(app);
        app.UseRouting();
        app.Use((context, next) =>
        {
            if (context.Items.ContainsKey(Marker)) context.Request.Method = HttpMethods.Head;
            return next(context);
        });
        return app;
    }
}
