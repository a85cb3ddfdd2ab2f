namespace Quarry.Server.Quality;

/// <summary>
/// Validates and applies computed containers. A computed join's fields are known from its sources, so they are
/// written as the join's <c>fields</c> rows and checks on the join are validated like checks on a table; a
/// computed table's fields are unknown until its query runs, so checks on it are not field-checked.
/// </summary>
public sealed class ComputedContainerService(QuarryDb db, Access.Access access)
{
    public static readonly IReadOnlyList<string> JoinTypes = ["inner", "left", "right", "full"];

    private sealed record Output(string Name, string DataType, bool Nullable);

    public async Task<Container> CreateAsync(ComputedContainerRequest request, CancellationToken ct)
    {
        // Qualytics clients create a join without datastore_id: it belongs to its left container's datastore.
        if (request.DatastoreId is null && request.ContainerType?.Trim() == ComputedKinds.Join && request.LeftContainerId is int leftId)
        {
            try { request.DatastoreId = (await CatalogFields.ResolveAsync(db, access, leftId, null, null, ct)).DatastoreId; }
            catch (InvalidInputProblem) { throw InvalidInputProblem.Single("left_container_id", $"no container has id {leftId}."); }
        }
        if (request.DatastoreId is not int datastoreId)
            throw InvalidInputProblem.Single("datastore_id", "is required: the datastore the computed container belongs to"
                + (request.ContainerType?.Trim() == ComputedKinds.Join ? " (or give left_container_id: a join belongs to its left container's datastore)." : "."));
        await CatalogFields.EnsureCanAuthorAsync(db, access, datastoreId, ct);
        var type = request.ContainerType?.Trim();
        if (type is null || !ComputedKinds.IsComputed(type))
            throw InvalidInputProblem.Single("container_type", $"must be one of {string.Join(", ", ComputedKinds.All)}.");
        var now = DateTime.UtcNow;
        var container = new Container { DatastoreId = datastoreId, Name = "", ContainerType = type, CreatedAt = now, UpdatedAt = now };
        var definition = new ComputedContainer { CreatedByUserId = access.UserId };
        var outputs = await ApplyAsync(container, definition, request, creating: true, ct);
        db.Containers.Add(container);
        await db.SaveChangesAsync(ct);
        definition.ContainerId = container.Id;
        db.ComputedContainers.Add(definition);
        await WriteFieldsAsync(container, outputs, ct);
        return container;
    }

    public async Task UpdateAsync(Container container, ComputedContainer definition, ComputedContainerRequest request, CancellationToken ct)
    {
        await CatalogFields.EnsureCanAuthorAsync(db, access, container.DatastoreId, ct);
        if (request.DatastoreId is int datastoreId && datastoreId != container.DatastoreId)
            throw InvalidInputProblem.Single("datastore_id", "a computed container cannot move to another datastore; create a new one there.");
        if (request.ContainerType is { } type && type.Trim() != container.ContainerType)
            throw InvalidInputProblem.Single("container_type", $"cannot change from {container.ContainerType}; create a new computed container instead.");
        var outputs = await ApplyAsync(container, definition, request, creating: false, ct);
        container.UpdatedAt = DateTime.UtcNow;
        await WriteFieldsAsync(container, outputs, ct);
    }

    private async Task<List<Output>> ApplyAsync(Container container, ComputedContainer definition, ComputedContainerRequest request, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, List<string>>();
        var name = request.Name?.Trim() ?? (creating ? null : container.Name);
        if (string.IsNullOrEmpty(name)) CheckRules.Add(errors, "name", "is required.");
        else if (InputLimits.TooLong(name, InputLimits.NameLength) is { } tooLong) CheckRules.Add(errors, "name", tooLong);
        if (InputLimits.TooLong(request.Description?.Trim(), InputLimits.DescriptionLength) is { } description) CheckRules.Add(errors, "description", description);
        if (request.Description is not null) definition.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();

        var outputs = new List<Output>();
        if (container.ContainerType == ComputedKinds.Table) ApplyTable(definition, request, creating, errors);
        else outputs = await ApplyJoinAsync(container, definition, request, creating, errors, ct);
        if (errors.Count > 0) throw CatalogFields.Problem(errors);

        container.Name = name!;
        var clash = await db.Containers.AsNoTracking()
            .Where(c => c.DatastoreId == container.DatastoreId && c.Id != container.Id && c.Name.ToLower() == container.Name.ToLower())
            .Select(c => new { c.Name, c.ContainerType }).FirstOrDefaultAsync(ct);
        if (clash is not null)
            throw new ConflictProblem($"Datastore {container.DatastoreId} already has a container named '{clash.Name}' ({clash.ContainerType}); choose another name.");
        return outputs;
    }

    private static void ApplyTable(ComputedContainer definition, ComputedContainerRequest request, bool creating, Dictionary<string, List<string>> errors)
    {
        foreach (var (key, given) in new[] { ("left_container", request.LeftContainerId is not null || request.LeftContainer is not null),
                     ("right_container", request.RightContainerId is not null || request.RightContainer is not null), ("join_type", request.JoinType is not null),
                     ("select_clause", request.SelectClause is not null), ("left_prefix", request.LeftPrefix is not null), ("right_prefix", request.RightPrefix is not null),
                     ("where_clause", !string.IsNullOrWhiteSpace(request.WhereClause)), ("group_by_clause", !string.IsNullOrWhiteSpace(request.GroupByClause)) })
            if (given) CheckRules.Add(errors, key, "is only for computed_join containers.");
        var query = request.Query?.Trim() ?? (creating ? null : definition.Query);
        if (string.IsNullOrEmpty(query)) { CheckRules.Add(errors, "query", "is required: the SQL SELECT that defines the computed table."); return; }
        var body = query.TrimEnd(';', ' ', '\n', '\r', '\t');
        if (!(body.StartsWith("select", StringComparison.OrdinalIgnoreCase) || body.StartsWith("with", StringComparison.OrdinalIgnoreCase)))
            CheckRules.Add(errors, "query", "must be a SELECT statement (or WITH … SELECT).");
        else if (body.Contains(';'))
            CheckRules.Add(errors, "query", "must be a single statement; remove the ';' separating statements.");
        definition.Query = query;
    }

    private async Task<List<Output>> ApplyJoinAsync(Container container, ComputedContainer definition, ComputedContainerRequest request, bool creating,
        Dictionary<string, List<string>> errors, CancellationToken ct)
    {
        if (request.Query is not null) CheckRules.Add(errors, "query", "is only for computed_table containers.");
        var left = await SideAsync(container, request.LeftContainerId, request.LeftContainer, creating ? null : definition.LeftContainerId, "left_container", errors, ct);
        var right = await SideAsync(container, request.RightContainerId, request.RightContainer, creating ? null : definition.RightContainerId, "right_container", errors, ct);
        var joinType = request.JoinType?.Trim().ToLowerInvariant() ?? definition.JoinType ?? "inner";
        if (!JoinTypes.Contains(joinType)) CheckRules.Add(errors, "join_type", $"must be one of {string.Join(", ", JoinTypes)}.");
        var leftField = Either(request.LeftField, "left_field", request.LeftJoinFieldName, "left_join_field_name", errors) ?? definition.LeftField;
        var rightField = Either(request.RightField, "right_field", request.RightJoinFieldName, "right_join_field_name", errors) ?? definition.RightField;
        if (string.IsNullOrEmpty(leftField)) CheckRules.Add(errors, "left_field", "is required: the join key in the left container.");
        if (string.IsNullOrEmpty(rightField)) CheckRules.Add(errors, "right_field", "is required: the join key in the right container.");
        // The fields are chosen either Quarry's way (left_select/right_select) or Qualytics' (select_clause with
        // prefixes); an update that names neither keeps the way the join was saved with.
        if (request.SelectClause is not null && (request.LeftSelect is { Count: > 0 } || request.RightSelect is { Count: > 0 }))
            CheckRules.Add(errors, "select_clause", "give either select_clause or left_select/right_select, not both: they choose the same fields.");
        var useClause = request.SelectClause is not null
            || (request.LeftSelect is null && request.RightSelect is null && definition.SelectClause is not null);
        var leftPrefix = request.LeftPrefix?.Trim() ?? definition.LeftPrefix ?? JoinSelection.DefaultLeftPrefix;
        var rightPrefix = request.RightPrefix?.Trim() ?? definition.RightPrefix ?? JoinSelection.DefaultRightPrefix;
        if (useClause)
        {
            if (JoinSelection.PrefixProblem(leftPrefix) is { } leftBad) CheckRules.Add(errors, "left_prefix", leftBad);
            if (JoinSelection.PrefixProblem(rightPrefix) is { } rightBad) CheckRules.Add(errors, "right_prefix", rightBad);
            if (string.Equals(leftPrefix, rightPrefix, StringComparison.OrdinalIgnoreCase))
                CheckRules.Add(errors, "right_prefix", $"'{rightPrefix}' is also the left prefix; the two sides need different prefixes to tell their fields apart.");
        }
        else
        {
            foreach (var (key, given) in new[] { ("left_prefix", request.LeftPrefix), ("right_prefix", request.RightPrefix) })
                if (given is not null) CheckRules.Add(errors, key, "is read only with select_clause (fields chosen with left_select/right_select keep their names).");
        }
        var clause = useClause ? (request.SelectClause ?? definition.SelectClause!).Trim() : null;
        var where = Clause(request.WhereClause, definition.WhereClause, "where_clause", errors);
        var groupBy = Clause(request.GroupByClause, definition.GroupByClause, "group_by_clause", errors);
        if (clause is not null && InputLimits.TooLong(clause, InputLimits.DescriptionLength) is { } clauseTooLong) CheckRules.Add(errors, "select_clause", clauseTooLong);
        var leftSelect = useClause ? new List<string>() : request.LeftSelect is null ? QualityJson.Strings(definition.LeftSelectJson) : CatalogFields.CleanNames(request.LeftSelect, "left_select", errors);
        var rightSelect = useClause ? [] : request.RightSelect is null ? QualityJson.Strings(definition.RightSelectJson) : CatalogFields.CleanNames(request.RightSelect, "right_select", errors);
        if (!useClause && leftSelect.Count + rightSelect.Count == 0)
            CheckRules.Add(errors, "left_select", "select at least one field from the left or right container (or choose them with select_clause).");
        foreach (var clash in rightSelect.Where(r => leftSelect.Contains(r, StringComparer.OrdinalIgnoreCase)))
            CheckRules.Add(errors, "right_select", $"'{clash}' is also selected from the left container; a join's field names must be distinct, so select it from one side only.");

        var outputs = new List<Output>();
        List<JoinSelected>? selected = null;
        if (left is not null && right is not null)
        {
            var leftKnown = await CatalogFields.ForAsync(db, left.Id, ct);
            var rightKnown = await CatalogFields.ForAsync(db, right.Id, ct);
            leftKnown.Require(leftField is null ? [] : [leftField], "left_field", left.Name, errors);
            rightKnown.Require(rightField is null ? [] : [rightField], "right_field", right.Name, errors);
            leftKnown.Require(leftSelect, "left_select", left.Name, errors);
            rightKnown.Require(rightSelect, "right_select", right.Name, errors);
            if (clause is not null)
            {
                // Only the fields the source has: a side's computed fields are not part of what the join reads.
                static IReadOnlyList<string>? Synced(KnownFields known) => known.Cataloged ? known.Names.Where(known.Synced.ContainsKey).ToList() : null;
                selected = JoinSelection.Resolve(clause,
                    new JoinSelection.Side("left", leftPrefix, left.Name, Synced(leftKnown)),
                    new JoinSelection.Side("right", rightPrefix, right.Name, Synced(rightKnown)), errors);
                if (leftKnown.Cataloged && rightKnown.Cataloged)
                    outputs.AddRange(selected.Select(s => s.Side switch
                    {
                        "left" => Describe(leftKnown, s.Field, nullableSide: joinType is "right" or "full") with { Name = s.Name },
                        "right" => Describe(rightKnown, s.Field, nullableSide: joinType is "left" or "full") with { Name = s.Name },
                        // An expression's type is the source's to decide.
                        _ => new Output(s.Name, "computed", true),
                    }));
            }
            else if (leftKnown.Cataloged && rightKnown.Cataloged)
            {
                outputs.AddRange(leftSelect.Select(f => Describe(leftKnown, f, nullableSide: joinType is "right" or "full")));
                outputs.AddRange(rightSelect.Select(f => Describe(rightKnown, f, nullableSide: joinType is "left" or "full")));
            }
            definition.LeftContainerId = left.Id;
            definition.RightContainerId = right.Id;
        }
        definition.SelectClause = clause;
        definition.WhereClause = where;
        definition.GroupByClause = groupBy;
        definition.LeftPrefix = useClause ? leftPrefix : null;
        definition.RightPrefix = useClause ? rightPrefix : null;
        definition.SelectJson = selected is null ? null : JoinSelection.ToJson(selected);
        definition.JoinType = joinType;
        definition.LeftField = leftField;
        definition.RightField = rightField;
        definition.LeftSelectJson = QualityJson.Of(leftSelect);
        definition.RightSelectJson = QualityJson.Of(rightSelect);
        return outputs;
    }

    /// <summary>
    /// A join's where or group by clause: the one given (an empty one removes it) or, when none is given, the one saved.
    /// It is SQL for the source, like a computed table's query; what would break out of its place in the join's statement is refused.
    /// </summary>
    private static string? Clause(string? given, string? saved, string key, Dictionary<string, List<string>> errors)
    {
        var clause = given is null ? saved : string.IsNullOrWhiteSpace(given) ? null : given.Trim();
        if (clause is null) return null;
        if ((InputLimits.TooLong(clause, InputLimits.DescriptionLength) ?? JoinClauses.Problem(clause)) is { } problem) CheckRules.Add(errors, key, problem);
        return clause;
    }

    /// <summary>A value given under Quarry's name or its Qualytics alias; both may be given only when they agree.</summary>
    private static string? Either(string? own, string ownKey, string? alias, string aliasKey, Dictionary<string, List<string>> errors)
    {
        var (a, b) = (own?.Trim(), alias?.Trim());
        if (a is not null && b is not null && a != b) CheckRules.Add(errors, ownKey, $"'{a}' differs from {aliasKey} '{b}'; they name the same thing, so give one.");
        return a ?? b;
    }

    private static Output Describe(KnownFields known, string name, bool nullableSide) =>
        known.Synced.TryGetValue(name, out var field)
            ? new Output(name, field.DataType, field.Nullable || nullableSide)
            : new Output(name, "computed", true);

    private async Task<Container?> SideAsync(Container join, int? id, string? name, int? current, string key, Dictionary<string, List<string>> errors, CancellationToken ct)
    {
        Container? side = null;
        if (id is not null || !string.IsNullOrWhiteSpace(name))
        {
            try { side = await CatalogFields.ResolveAsync(db, access, id, join.DatastoreId, name, ct); }
            catch (InvalidInputProblem problem)
            {
                CheckRules.Add(errors, key, problem.Errors!.Values.First()[0]);
                return null;
            }
        }
        else if (current is int existing) side = await db.Containers.AsNoTracking().FirstAsync(c => c.Id == existing, ct);
        if (side is null) CheckRules.Add(errors, key, "is required: the container's name (or give its id as " + key + "_id).");
        // Worded as for an id that does not exist: the other datastore may be one the caller cannot see.
        else if (side.DatastoreId != join.DatastoreId) CheckRules.Add(errors, key, $"datastore {join.DatastoreId} has no container with id {side.Id}; a computed join reads containers of its own datastore.");
        else if (side.Id == join.Id) CheckRules.Add(errors, key, "a computed join cannot read itself.");
        else if (side.Removed) CheckRules.Add(errors, key, $"container '{side.Name}' was not found by the last sync of the datastore.");
        else return side;
        return null;
    }

    private async Task WriteFieldsAsync(Container container, List<Output> outputs, CancellationToken ct)
    {
        if (container.ContainerType != ComputedKinds.Join) return;
        if (container.Id != 0) await db.Fields.Where(f => f.ContainerId == container.Id).ExecuteDeleteAsync(ct);
        var now = DateTime.UtcNow;
        db.Fields.AddRange(outputs.Select((o, i) => new Field
        {
            ContainerId = container.Id, Name = o.Name, Ordinal = i + 1, DataType = o.DataType, Nullable = o.Nullable, CreatedAt = now, UpdatedAt = now,
        }));
    }
}
