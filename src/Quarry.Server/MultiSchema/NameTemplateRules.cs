namespace Quarry.Server.MultiSchema;

/// <summary>The server's side of <see cref="NameTemplate"/>: a missing or placeholder-less template is a 400 on <c>name_template</c>.</summary>
public static class NameTemplateRules
{
    extension(NameTemplate)
    {
        public static NameTemplate Parse(string? template)
        {
            if (string.IsNullOrWhiteSpace(template))
                throw InvalidInputProblem.Single("name_template", "is required, e.g. \"prod_{{ schema }}\".");
            return NameTemplate.TryParse(template)
                ?? throw InvalidInputProblem.Single("name_template", $"'{template}' must contain the {{{{ schema }}}} placeholder, e.g. \"prod_{{{{ schema }}}}\"; otherwise every schema would get the same name.");
        }
    }
}
