using Autotier.Application.Portal;
using Autotier.Functions.Portal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Autotier.Functions.Composition;

/// <summary>The requester portal's services.</summary>
public static class PortalServices
{
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Only "1" turns the sign-in on, as in the TypeScript app: the principal header is then the platform's.
        services.AddSingleton(new PortalOptions(configuration["AUTOTIER_EASY_AUTH"] == "1"));
        services.AddSingleton<PortalRateLimits>();
        services.AddSingleton<RequesterPortal>();
        return services;
    }
}
