using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Quarry.Server.Anomalies;
using Quarry.Server.Operations;
using Quarry.Server.Operations.Profile;
using Quarry.Server.Operations.Scan;

namespace Quarry.Server.Store;

/// <summary>
/// The Quarry store. Its schema is created by the versioned SQL scripts in Store/Migrations
/// (see <see cref="StoreMigrator"/>), not by EF: the model below maps onto those tables.
/// </summary>
public sealed class QuarryDb(DbContextOptions<QuarryDb> options) : DbContext(options)
{
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Connection> Connections => Set<Connection>();
    public DbSet<Datastore> Datastores => Set<Datastore>();
    public DbSet<DatastoreTeam> DatastoreTeams => Set<DatastoreTeam>();
    public DbSet<DatastoreTag> DatastoreTags => Set<DatastoreTag>();
    public DbSet<DatastoreGroup> DatastoreGroups => Set<DatastoreGroup>();
    public DbSet<Operation> Operations => Set<Operation>();
    public DbSet<Container> Containers => Set<Container>();
    public DbSet<Field> Fields => Set<Field>();
    public DbSet<ComputedContainer> ComputedContainers => Set<ComputedContainer>();
    public DbSet<ComputedField> ComputedFields => Set<ComputedField>();
    public DbSet<QualityCheck> QualityChecks => Set<QualityCheck>();
    public DbSet<Anomaly> Anomalies => Set<Anomaly>();
    public DbSet<CheckResult> CheckResults => Set<CheckResult>();
    public DbSet<ContainerScan> ContainerScans => Set<ContainerScan>();
    public DbSet<FieldProfile> FieldProfiles => Set<FieldProfile>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(QuarryDb).Assembly);

        // Every stored time is UTC; SQLite hands DateTime back without a Kind, so say so on the way out.
        var utc = new ValueConverter<DateTime, DateTime>(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        var utcNullable = new ValueConverter<DateTime?, DateTime?>(
            v => v, v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(ToSnakeCase(entity.ClrType.Name switch
            {
                nameof(ApiToken) => "ApiTokens",
                nameof(TeamMember) => "TeamMembers",
                nameof(DatastoreTeam) => "DatastoreTeams",
                nameof(DatastoreTag) => "DatastoreTags",
                nameof(DatastoreGroup) => "DatastoreGroups",
                nameof(Anomaly) => "Anomalies",
                var name => name + "s",
            }));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
                if (property.ClrType == typeof(DateTime)) property.SetValueConverter(utc);
                if (property.ClrType == typeof(DateTime?)) property.SetValueConverter(utcNullable);
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}

/// <summary>A server-wide key/value pair, such as the fingerprint of the secret key.</summary>
public sealed class Setting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
