using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Quarry.Server.Operations;

namespace Quarry.Server.Store;

internal sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> builder) => builder.HasKey(s => s.Key);
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.Property(u => u.Role).HasConversion<string>();
        builder.HasIndex(u => u.NameKey).IsUnique();
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.HasOne(t => t.User).WithMany(u => u.Tokens).HasForeignKey(t => t.UserId);
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder) => builder.HasIndex(t => t.NameKey).IsUnique();
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> builder)
    {
        builder.HasKey(m => new { m.TeamId, m.UserId });
        builder.Property(m => m.Permission).HasConversion<string>();
        builder.HasOne(m => m.Team).WithMany(t => t.Members).HasForeignKey(m => m.TeamId);
        builder.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId);
    }
}

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder) => builder.HasIndex(c => c.NameKey).IsUnique();
}

internal sealed class DatastoreConfiguration : IEntityTypeConfiguration<Datastore>
{
    public void Configure(EntityTypeBuilder<Datastore> builder)
    {
        builder.HasIndex(d => d.NameKey).IsUnique();
        builder.HasOne(d => d.Connection).WithMany().HasForeignKey(d => d.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.Group).WithMany().HasForeignKey(d => d.GroupId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(d => d.EnrichmentDatastore).WithMany().HasForeignKey(d => d.EnrichmentDatastoreId)
            .OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(d => d.Teams).WithOne().HasForeignKey(t => t.DatastoreId);
        builder.HasMany(d => d.Tags).WithOne().HasForeignKey(t => t.DatastoreId);
    }
}

internal sealed class DatastoreTeamConfiguration : IEntityTypeConfiguration<DatastoreTeam>
{
    public void Configure(EntityTypeBuilder<DatastoreTeam> builder)
    {
        builder.HasKey(t => new { t.DatastoreId, t.TeamId });
        builder.HasOne(t => t.Team).WithMany().HasForeignKey(t => t.TeamId);
    }
}

internal sealed class DatastoreTagConfiguration : IEntityTypeConfiguration<DatastoreTag>
{
    public void Configure(EntityTypeBuilder<DatastoreTag> builder) => builder.HasKey(t => new { t.DatastoreId, t.Name });
}

internal sealed class DatastoreGroupConfiguration : IEntityTypeConfiguration<DatastoreGroup>
{
    public void Configure(EntityTypeBuilder<DatastoreGroup> builder) => builder.HasIndex(g => g.NameKey).IsUnique();
}

internal sealed class OperationConfiguration : IEntityTypeConfiguration<Operation>
{
    public void Configure(EntityTypeBuilder<Operation> builder)
    {
        builder.HasOne<Datastore>().WithMany().HasForeignKey(o => o.DatastoreId);
        builder.Property(o => o.AbortRequested).IsConcurrencyToken(false);
    }
}

internal sealed class ContainerConfiguration : IEntityTypeConfiguration<Container>
{
    public void Configure(EntityTypeBuilder<Container> builder)
    {
        builder.HasIndex(c => new { c.DatastoreId, c.Name }).IsUnique();
        builder.HasOne<Datastore>().WithMany().HasForeignKey(c => c.DatastoreId);
        builder.HasMany(c => c.Fields).WithOne().HasForeignKey(f => f.ContainerId);
    }
}

internal sealed class FieldConfiguration : IEntityTypeConfiguration<Field>
{
    public void Configure(EntityTypeBuilder<Field> builder) => builder.HasIndex(f => new { f.ContainerId, f.Name }).IsUnique();
}
