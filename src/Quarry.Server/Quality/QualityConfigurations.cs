using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Quarry.Server.Quality;

internal sealed class ComputedContainerConfiguration : IEntityTypeConfiguration<ComputedContainer>
{
    public void Configure(EntityTypeBuilder<ComputedContainer> builder)
    {
        builder.HasKey(c => c.ContainerId);
        builder.Property(c => c.ContainerId).ValueGeneratedNever();
        builder.HasOne<Container>().WithOne().HasForeignKey<ComputedContainer>(c => c.ContainerId);
        builder.HasOne<Container>().WithMany().HasForeignKey(c => c.LeftContainerId);
        builder.HasOne<Container>().WithMany().HasForeignKey(c => c.RightContainerId);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ComputedFieldConfiguration : IEntityTypeConfiguration<ComputedField>
{
    public void Configure(EntityTypeBuilder<ComputedField> builder)
    {
        builder.HasIndex(f => new { f.ContainerId, f.NameKey }).IsUnique();
        builder.HasOne<Container>().WithMany().HasForeignKey(f => f.ContainerId);
        builder.HasOne<User>().WithMany().HasForeignKey(f => f.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class QualityCheckConfiguration : IEntityTypeConfiguration<QualityCheck>
{
    public void Configure(EntityTypeBuilder<QualityCheck> builder)
    {
        builder.HasIndex(c => new { c.ContainerId, c.IdentityKey }).IsUnique();
        builder.HasOne<Container>().WithMany().HasForeignKey(c => c.ContainerId);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
