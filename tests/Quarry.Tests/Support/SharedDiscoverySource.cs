namespace Quarry.Tests.Support;

/// <summary>
/// One <see cref="DiscoverySource"/> shared by the tests of a class, made before its first test and dropped after its
/// last: for classes whose tests only read the source (what they create, they create on their own servers).
/// </summary>
public sealed class SharedDiscoverySource : IAsyncLifetime
{
    private DiscoverySource? _source;

    public DiscoverySource Source => _source ?? throw new InvalidOperationException("The source is made before the class's first test.");

    public async Task InitializeAsync() => _source = await DiscoverySource.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync();
    }
}
