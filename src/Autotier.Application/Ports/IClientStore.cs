using Autotier.Domain.Clients;

namespace Autotier.Application.Ports;

public interface IClientStore
{
    Task<ClientProfile?> GetAsync(string clientId, CancellationToken cancellationToken);

    Task SaveAsync(ClientProfile profile, CancellationToken cancellationToken);
}
