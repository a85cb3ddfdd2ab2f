namespace Quarry.Tests.Access;

/// <summary>
/// Writing a synced container through <c>/api/containers</c> is refused for what it is (409: only computed containers
/// are written there), but only to callers who may change the datastore: permission is asked first, so a Viewer gets the
/// 403 of any write on the datastore, and a caller outside its teams the 404 of a container that does not exist.
/// </summary>
public sealed class SyncedContainerWriteAccessTests
{
    [Theory]
    [ClassData(typeof(BothStores))]
    public async Task PermissionIsAskedBeforeTheSyncedContainerConflict(StoreKind kind)
    {
        await using var world = await FeatureAccessWorld.StartAsync(kind);
        var synced = $"/api/containers/{world.Orders}";
        var patch = new[] { new { id = world.Orders, changes = new { description = "x" } } };
        var viewer = world.Callers[FeatureCaller.MemberViewer].Client;
        // What a Viewer hears for writing a computed container of the same datastore.
        var refusal = (await viewer.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Put, $"/api/containers/{world.ComputedContainer}", new { description = "x" }))
            .GetProperty("detail").GetString();

        foreach (var (method, body) in new (HttpMethod, object?)[] { (HttpMethod.Put, new { description = "x" }), (HttpMethod.Delete, null) })
        {
            var forbidden = await viewer.ExpectProblemAsync(HttpStatusCode.Forbidden, method, synced, body);
            Assert.Equal(refusal, forbidden.GetProperty("detail").GetString());
            var hidden = await world.Callers[FeatureCaller.MemberInNoTeam].Client.ExpectProblemAsync(HttpStatusCode.NotFound, method, synced, body);
            Assert.DoesNotContain("read from the source", hidden.GetProperty("detail").GetString());
            foreach (var author in new[] { FeatureCaller.MemberAuthor, FeatureCaller.Admin })
            {
                var conflict = await world.Callers[author].Client.ExpectProblemAsync(HttpStatusCode.Conflict, method, synced, body);
                Assert.Contains("read from the source", conflict.GetProperty("detail").GetString());
            }
        }
        Assert.Equal(refusal, (await viewer.ExpectProblemAsync(HttpStatusCode.Forbidden, HttpMethod.Patch, "/api/containers", patch)).GetProperty("detail").GetString());
        await world.Callers[FeatureCaller.MemberInNoTeam].Client.ExpectProblemAsync(HttpStatusCode.NotFound, HttpMethod.Patch, "/api/containers", patch);
        await world.Callers[FeatureCaller.MemberAuthor].Client.ExpectProblemAsync(HttpStatusCode.Conflict, HttpMethod.Patch, "/api/containers", patch);

        var orders = (await SyncApi.ContainersAsync(world.Server.Admin, world.Datastore)).Single(c => c.Id == world.Orders);
        Assert.False(orders.Removed);
    }
}
