namespace Quarry.Tests.Support;

/// <summary>Theory data: every test that takes a <see cref="StoreKind"/> runs on SQLite and on PostgreSQL.</summary>
public sealed class BothStores : TheoryData<StoreKind>
{
    public BothStores()
    {
        Add(StoreKind.Sqlite);
        Add(StoreKind.PostgreSql);
    }
}
