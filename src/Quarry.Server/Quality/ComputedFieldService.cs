namespace Quarry.Server.Quality;

/// <summary>The transformations a computed field may apply to its source fields.</summary>
public static class Transformations
{
    public static readonly IReadOnlyList<RuleDefinition> All =
    [
        new("cast", Arity.One, [CheckRules.Required("target_type", PropertyKind.FieldType), CheckRules.Optional("format", PropertyKind.Text)],
            "the source field cast to target_type, parsed with format when given"),
        new("cleanedEntity", Arity.One, [], "the source text trimmed, lower-cased and stripped of punctuation, for matching names"),
        new("convertFormattedNumeric", Arity.One, [], "the source text such as \"$1,234.50\" or \"(12)\" read as a number"),
        new("customExpression", Arity.Any, [CheckRules.Required("expression", PropertyKind.Text)], "the SQL expression over the container's fields"),
    ];

    public static string KnownList => string.Join(", ", All.Select(t => t.Name));

    public static RuleDefinition? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}

/// <summary>Validates computed field requests against their container's catalog, and applies them.</summary>
public sealed class ComputedFieldService(QuarryDb db, Access.Access access)
{
    public async Task<ComputedField> CreateAsync(ComputedFieldRequest request, CancellationToken ct)
    {
        var container = await CatalogFields.ResolveForAuthoringAsync(db, access, request.ContainerId, request.DatastoreId, request.ContainerName, ct);
        var now = DateTime.UtcNow;
        var field = new ComputedField { Name = "", Transformation = "", ContainerId = container.Id, CreatedByUserId = access.UserId, CreatedAt = now, UpdatedAt = now };
        await ApplyAsync(field, container, request, creating: true, ct);
        db.ComputedFields.Add(field);
        return field;
    }

    public async Task UpdateAsync(ComputedField field, ComputedFieldRequest request, CancellationToken ct)
    {
        var container = await db.Containers.AsNoTracking().FirstAsync(c => c.Id == field.ContainerId, ct);
        await CatalogFields.EnsureCanAuthorAsync(db, access, container.DatastoreId, ct);
        if (CatalogFields.NamesOtherContainer(request.ContainerId, request.ContainerName, container))
            throw InvalidInputProblem.Single("container_id", "a computed field cannot move to another container; create a new one there and delete this one.");
        if (request.Name?.Trim() is { Length: > 0 } renamed && renamed != field.Name) await EnsureUnusedAsync(field.ContainerId, field.Name, field.Id, "renamed", ct);
        await ApplyAsync(field, container, request, creating: false, ct);
        field.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>
    /// A check or another computed field that names this field would point at nothing once it is deleted or renamed:
    /// the caller changes those first.
    /// </summary>
    public async Task EnsureUnusedAsync(int containerId, string name, int fieldId, string what, CancellationToken ct)
    {
        var quoted = QualityJson.Of([name])[1..^1];
        var checks = await db.QualityChecks.AsNoTracking().Where(c => c.ContainerId == containerId && c.FieldsJson.Contains(quoted))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(10).ToListAsync(ct);
        if (checks.Count > 0)
            throw new ConflictProblem($"Computed field '{name}' is used by quality check(s) {string.Join(", ", checks)}, so it can't be {what}; delete or change them first.");
        var fields = await db.ComputedFields.AsNoTracking().Where(f => f.ContainerId == containerId && f.Id != fieldId && f.SourceFieldsJson.Contains(quoted))
            .OrderBy(f => f.Name).Select(f => f.Name).Take(10).ToListAsync(ct);
        if (fields.Count > 0)
            throw new ConflictProblem($"Computed field '{name}' is a source of computed field(s) {string.Join(", ", fields)}, so it can't be {what}; delete or change them first.");
    }

    private async Task ApplyAsync(ComputedField field, Container container, ComputedFieldRequest request, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        var name = request.Name?.Trim() ?? (creating ? null : field.Name);
        if (string.IsNullOrEmpty(name)) CheckRules.Add(errors, "name", "is required.");
        else if (InputLimits.TooLong(name, InputLimits.NameLength) is { } tooLong) CheckRules.Add(errors, "name", tooLong);
        if (InputLimits.TooLong(request.Description?.Trim(), InputLimits.DescriptionLength) is { } description) CheckRules.Add(errors, "description", description);

        var transformationName = request.Transformation?.Trim() ?? (creating ? null : field.Transformation);
        var transformation = transformationName is null ? null : Transformations.Find(transformationName);
        if (string.IsNullOrEmpty(transformationName)) CheckRules.Add(errors, "transformation", $"is required. Known transformations: {Transformations.KnownList}.");
        else if (transformation is null)
            CheckRules.Add(errors, "transformation", $"'{transformationName}' is not a known transformation. Known transformations: {Transformations.KnownList}.");

        var sources = request.SourceFields is null ? QualityJson.Strings(field.SourceFieldsJson) : CatalogFields.CleanNames(request.SourceFields, "source_fields", errors);
        var properties = request.Properties ?? (creating ? new Dictionary<string, JsonElement>() : QualityJson.Properties(field.PropertiesJson));
        if (transformation is not null)
        {
            if (!transformation.Fields.Allows(sources.Count))
                CheckRules.Add(errors, "source_fields", $"{transformation.Name} takes {transformation.Fields.Describe()}; {sources.Count} given.");
            CheckRules.ValidateProperties(transformation, properties, errors);
        }
        var known = await CatalogFields.ForAsync(db, container.Id, ct, exceptComputedFieldId: field.Id);
        known.Require(sources, "source_fields", container.Name, errors);
        if (name is not null && known.Synced.ContainsKey(name))
            CheckRules.Add(errors, "name", $"container '{container.Name}' already has a field named '{name}'; a computed field needs a name of its own.");
        if (errors.Count > 0) throw CatalogFields.Problem(errors);

        field.Name = name!;
        field.NameKey = Names.Key(name!);
        field.Transformation = transformation!.Name;
        field.SourceFieldsJson = QualityJson.Of(sources);
        field.PropertiesJson = QualityJson.Of(properties);
        if (request.Description is not null) field.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (await db.ComputedFields.AnyAsync(f => f.ContainerId == field.ContainerId && f.NameKey == field.NameKey && f.Id != field.Id, ct))
            throw new ConflictProblem($"Container '{container.Name}' already has a computed field named '{field.Name}'.");
    }

    public static ComputedFieldDto ToDto(ComputedField field, ContainerRef container) => new(
        field.Id, field.Name, field.ContainerId, container, field.Transformation, QualityJson.Strings(field.SourceFieldsJson),
        QualityJson.Element(field.PropertiesJson), field.Description, field.CreatedAt, field.UpdatedAt);
}
