namespace Quarry.Contracts.MultiSchema;

/// <summary>
/// A datastore name pattern such as <c>prod_{{ schema }}</c>. Spacing inside the braces is free, so
/// <c>{{schema}}</c> and <c>{{  schema }}</c> mean the same; a template without the placeholder would give
/// every schema the same name, so it is refused.
/// </summary>
public sealed partial class NameTemplate
{
    private readonly string _template;

    private NameTemplate(string template) => _template = template;

    /// <summary>The template, or null when it is missing or lacks the placeholder (the server's <c>Parse</c> says which).</summary>
    public static NameTemplate? TryParse(string? template) => HasPlaceholder(template) ? new NameTemplate(template!.Trim()) : null;

    public string Render(string schema) => Placeholder().Replace(_template, _ => schema);

    /// <summary>Whether <paramref name="template"/> names each schema apart (for callers that report usage errors their own way).</summary>
    public static bool HasPlaceholder(string? template) => template is not null && Placeholder().IsMatch(template);

    [GeneratedRegex(@"\{\{\s*schema\s*\}\}")]
    private static partial Regex Placeholder();
}
