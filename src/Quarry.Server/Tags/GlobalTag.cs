using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Quarry.Server.Tags;

/// <summary>
/// A tag's colour and description. Tags are names on datastores and checks, created on first use; a tag has a row
/// here once someone describes it (or creates it before using it).
/// </summary>
public sealed class GlobalTag
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string NameKey { get; set; } = "";
    public string? Color { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class GlobalTagConfiguration : IEntityTypeConfiguration<GlobalTag>
{
    public void Configure(EntityTypeBuilder<GlobalTag> builder) => builder.HasIndex(t => t.NameKey).IsUnique();
}
