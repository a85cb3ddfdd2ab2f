namespace Quarry.Server.Store;

public enum StoreKind
{
    Sqlite,
    PostgreSql,
}
