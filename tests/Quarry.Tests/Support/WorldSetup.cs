namespace Quarry.Tests.Support;

/// <summary>Setting up a test world (a server with its data) so that one whose setup fails leaves no server or folder behind.</summary>
public static class WorldSetup
{
    public static async Task<T> SetUpAsync<T>(T world, Func<T, Task> setUp) where T : IAsyncDisposable
    {
        try
        {
            await setUp(world);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }
}
