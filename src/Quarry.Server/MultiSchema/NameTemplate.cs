using System.Text.RegularExpressions;
using Quarry.Server.Errors;

namespace Quarry.Server.MultiSchema;

/// <summary>
/// A datastore name pattern such as <c>prod_{{ schema }}</c>. Spacing inside the braces is free, so
/// <c>{{schema}}</c> and <c>{{  schema }}</c> mean the same; a template without the placeholder would give
/// every schema the same name, so it is refused.
/// </summary>
public sealed partial class NameTemplate
{
    private readonly string _template;

    private NameTemplate(string template) => _template = template;

    public static NameTemplate Parse(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
            throw InvalidInputProblem.Single("name_template", "is required, e.g. \"prod_{{ schema }}\".");
        if (!Placeholder().IsMatch(template))
            throw InvalidInputProblem.Single("name_template", $"'{template}' must contain the {{{{ schema }}}} placeholder, e.g. \"prod_{{{{ schema }}}}\"; otherwise every schema would get the same name.");
        return new NameTemplate(template.Trim());
    }

    public string Render(string schema) => Placeholder().Replace(_template, _ => schema);

    /// <summary>Whether <paramref name="template"/> names each schema apart (for callers that report usage errors their own way).</summary>
    public static bool HasPlaceholder(string? template) => template is not null && Placeholder().IsMatch(template);

    [GeneratedRegex(@"\{\{\s*schema\s*\}\}")]
    private static partial Regex Placeholder();
}
