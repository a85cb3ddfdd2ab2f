namespace Quarry.Server.Errors;

/// <summary>Endpoint metadata that sets the largest request body an endpoint takes (honoured by routing).</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;

/// <summary>The server's side of <see cref="InputLimits"/>: what a request over its endpoint's limit is told.</summary>
public static class BodySizeLimits
{
    extension(InputLimits)
    {
        /// <summary>What a 413 says: the endpoint's own limit, and where larger bodies go.</summary>
        public static string TooLargeDetail(Microsoft.AspNetCore.Http.HttpContext context)
        {
            var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? InputLimits.BodyBytes;
            return $"The request body is larger than {context.Request.Path} accepts: at most {InputLimits.Bytes(limit)}. "
                + $"Send less at once (config plan and apply take up to {InputLimits.Bytes(InputLimits.ConfigBodyBytes)}).";
        }
    }
}
