namespace Quarry.Contracts.Tags;

public sealed class GlobalTagRequest
{
    public string? Name { get; set; }
    public string? Color { get; set; }
    public string? Description { get; set; }
}

/// <summary>A tag: <c>datastores</c> and <c>checks</c> count where the caller sees it used.</summary>
public sealed record GlobalTagDto(string Name, string? Color, string? Description, int Datastores, int Checks, DateTime? Created);
