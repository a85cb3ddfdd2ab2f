namespace Quarry.Server.Quality;

/// <summary>
/// Validates quality check requests against the rule catalog and the container's catalog, and applies them.
/// Every problem in a request is reported at once, keyed by the field it is about.
/// </summary>
public sealed class QualityCheckService(QuarryDb db, Access.Access access)
{
    // A config import validates many checks per container in one request; a check never changes a container's fields.
    private readonly Dictionary<int, KnownFields> _known = [];
    private readonly Dictionary<int, Container> _containers = [];

    public async Task<QualityCheck> CreateAsync(QualityCheckRequest request, CancellationToken ct)
    {
        var container = await CatalogFields.ResolveForAuthoringAsync(db, access, request.ContainerId, request.DatastoreId, request.ContainerName, ct);
        var now = DateTime.UtcNow;
        var check = new QualityCheck { Rule = "", IdentityKey = "", ContainerId = container.Id, CreatedByUserId = access.UserId, CreatedAt = now, UpdatedAt = now };
        await ApplyAsync(check, container, request, creating: true, ct);
        db.QualityChecks.Add(check);
        return check;
    }

    public async Task UpdateAsync(QualityCheck check, QualityCheckRequest request, CancellationToken ct)
    {
        if (!_containers.TryGetValue(check.ContainerId, out var container))
            _containers[check.ContainerId] = container = await db.Containers.AsNoTracking().FirstAsync(c => c.Id == check.ContainerId, ct);
        await CatalogFields.EnsureCanAuthorAsync(db, access, container.DatastoreId, ct);
        if (CatalogFields.NamesOtherContainer(request.ContainerId, request.ContainerName, container))
            throw InvalidInputProblem.Single("container_id", "a check cannot move to another container; create a new check there and delete this one.");
        await ApplyAsync(check, container, request, creating: false, ct);
        check.UpdatedAt = DateTime.UtcNow;
    }

    private async Task ApplyAsync(QualityCheck check, Container container, QualityCheckRequest request, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        if (container.Removed)
            CheckRules.Add(errors, "container_id", $"container '{container.Name}' was not found by the last sync of its datastore; checks cannot be added to it.");

        var ruleName = request.Rule?.Trim() ?? (creating ? null : check.Rule);
        var fields = request.Fields is null ? QualityJson.Strings(check.FieldsJson) : CheckValidation.CleanNames(request.Fields, "fields", errors);
        var properties = request.Properties ?? (creating ? [] : QualityJson.Properties(check.PropertiesJson));
        var coverage = request.Coverage ?? check.Coverage;
        var uid = request.Uid is null ? check.Uid : string.IsNullOrWhiteSpace(request.Uid) ? null : request.Uid.Trim();
        var tags = request.Tags is null ? QualityJson.Strings(check.TagsJson) : CheckValidation.CleanTags(request.Tags);
        var rule = CheckValidation.Validate(ruleName, fields, properties, coverage, uid, request.Description, request.Tags is null ? null : tags, errors);
        var status = request.Status is null ? null : CleanStatus(request.Status, "status", errors);
        if (!_known.TryGetValue(container.Id, out var known)) _known[container.Id] = known = await CatalogFields.ForAsync(db, container.Id, ct);
        known.Require(fields, "fields", container.Name, errors);
        if (rule is not null) await CheckReferences.ValidateAsync(db, container, rule, properties, errors, ct);
        if (errors.Count > 0) throw CatalogFields.Problem(errors);

        check.Rule = rule!.Name;
        check.FieldsJson = QualityJson.Of(fields);
        check.PropertiesJson = QualityJson.Of(properties);
        check.Coverage = coverage;
        check.Uid = uid;
        check.TagsJson = QualityJson.Of(tags);
        if (request.Filter is not null) check.Filter = string.IsNullOrWhiteSpace(request.Filter) ? null : request.Filter.Trim();
        if (request.Description is not null) check.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        if (request.AdditionalMetadata is JsonElement metadata) check.AdditionalMetadataJson = CheckMetadata.Store(metadata);
        check.IdentityKey = CheckIdentity.Of(check.Rule, fields, uid);
        if (request.Status is not null) check.Status = status!;
        // A person who changes what an inferred check asserts makes it theirs: a later profile leaves it alone.
        if (!creating && ChangesDefinition(request)) check.Inferred = false;
        await EnsureIdentityFreeAsync(check, container, ct);
    }

    private static bool ChangesDefinition(QualityCheckRequest r) =>
        r.Rule is not null || r.Fields is not null || r.Properties is not null || r.Filter is not null || r.Coverage is not null
        || r.Description is not null || r.Tags is not null || r.Uid is not null;

    /// <summary>The stored spelling of a status given in any case, or null (with an error under <paramref name="key"/>) when it is none.</summary>
    public static string? CleanStatus(string? status, string key, IDictionary<string, List<string>> errors)
    {
        var known = CheckStatus.All.FirstOrDefault(s => string.Equals(s, status?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null) CheckRules.Add(errors, key, $"must be one of {string.Join(", ", CheckStatus.All)}.");
        return known;
    }

    /// <summary>Every problem of a new check that needs no catalog (see <see cref="CheckValidation.ValidateNew"/>).</summary>
    public static Dictionary<string, List<string>> ValidateNew(QualityCheckRequest request) => CheckValidation.ValidateNew(request);

    private async Task EnsureIdentityFreeAsync(QualityCheck check, Container container, CancellationToken ct)
    {
        var taken = await db.QualityChecks.AsNoTracking()
            .AnyAsync(c => c.ContainerId == check.ContainerId && c.IdentityKey == check.IdentityKey && c.Id != check.Id, ct);
        if (!taken) return;
        throw new ConflictProblem(check.Uid is not null
            ? $"Container '{container.Name}' already has a check with uid '{check.Uid}'."
            : $"Container '{container.Name}' already has a {check.Rule} check on ({string.Join(", ", QualityJson.Strings(check.FieldsJson))}). Update that check, or give each a distinct uid.");
    }

}
