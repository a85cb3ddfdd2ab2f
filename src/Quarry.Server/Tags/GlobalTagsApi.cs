namespace Quarry.Server.Tags;

/// <summary>
/// <c>/api/global-tags</c>: the one set of tags that datastores and checks share. A tag in use is listed whether
/// or not it has a row; a Member sees the tags of the datastores (and their checks) it sees, plus every described tag.
/// </summary>
public static class GlobalTagsApi
{
    public sealed record ListQuery(string? Search);

    public static RouteGroupBuilder MapGlobalTags(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/global-tags").WithTags("Tags").RequireMember().WithProblems();
        group.MapGet("/", ListAsync);
        group.MapGet("/{name}", GetAsync);
        // A tag is shared by every datastore and check: describing or removing one is a Manager's call.
        group.MapPost("/", CreateAsync).RequireManager();
        group.MapDelete("/{name}", DeleteAsync).RequireManager();
        return group;
    }

    private static async Task<Ok<Page<GlobalTagDto>>> ListAsync([AsParameters] ListQuery filter, [AsParameters] PageQuery paging, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        paging.Validate();
        var all = await ReadAsync(db, access, ct);
        if (!string.IsNullOrWhiteSpace(filter.Search)) all = all.Where(t => t.Name.Contains(filter.Search.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return TypedResults.Ok(new Page<GlobalTagDto>(all.Skip(paging.Skip).Take(paging.PageSize).ToList(), all.Count, paging.PageNumber, paging.PageSize));
    }

    private static async Task<Ok<GlobalTagDto>> GetAsync(string name, QuarryDb db, Access.Access access, CancellationToken ct) =>
        TypedResults.Ok((await ReadAsync(db, access, ct)).FirstOrDefault(t => Names.Key(t.Name) == Names.Key(name))
            ?? throw new NotFoundProblem($"No tag is named '{name}'."));

    private static async Task<Created<GlobalTagDto>> CreateAsync(GlobalTagRequest request, QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var name = Names.Require(request.Name, max: InputLimits.TagLength);
        if (InputLimits.TooLong(request.Description?.Trim(), InputLimits.DescriptionLength) is { } tooLong) throw InvalidInputProblem.Single("description", tooLong);
        if (InputLimits.TooLong(request.Color?.Trim(), 50) is { } colorTooLong) throw InvalidInputProblem.Single("color", colorTooLong);
        if (await db.Set<GlobalTag>().AnyAsync(t => t.NameKey == Names.Key(name), ct))
            throw new ConflictProblem($"A tag named '{name}' already exists (tag names are unique regardless of case).");
        db.Set<GlobalTag>().Add(new GlobalTag
        {
            Name = name, NameKey = Names.Key(name), CreatedAt = DateTime.UtcNow,
            Color = string.IsNullOrWhiteSpace(request.Color) ? null : request.Color.Trim(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/global-tags/{Uri.EscapeDataString(name)}", (await GetAsync(name, db, access, ct)).Value!);
    }

    /// <summary>Removes the tag everywhere: its row, and its name from every datastore and check, in one transaction.</summary>
    private static async Task<NoContent> DeleteAsync(string name, QuarryDb db, CancellationToken ct)
    {
        var key = Names.Key(name);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.Set<GlobalTag>().Where(t => t.NameKey == key).ExecuteDeleteAsync(ct);
        var datastores = await db.DatastoreTags.Where(t => t.Name.ToLower() == key).ExecuteDeleteAsync(ct);
        var fragment = QualityJson.Of([name.Trim()])[1..^1];
        var checks = await db.QualityChecks.Where(c => c.TagsJson.ToLower().Contains(fragment.ToLower())).ToListAsync(ct);
        foreach (var check in checks)
            check.TagsJson = QualityJson.Of(QualityJson.Strings(check.TagsJson).Where(t => Names.Key(t) != key));
        await db.SaveChangesAsync(ct);
        if (rows + datastores + checks.Count == 0) throw new NotFoundProblem($"No tag is named '{name}'.");
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Every tag the caller sees, by name: described ones, and the names on visible datastores and checks.</summary>
    private static async Task<List<GlobalTagDto>> ReadAsync(QuarryDb db, Access.Access access, CancellationToken ct)
    {
        var visible = (await access.VisibleAsync(db.Datastores.AsNoTracking(), ct)).Select(d => d.Id);
        var onDatastores = await db.DatastoreTags.AsNoTracking().Where(t => visible.Contains(t.DatastoreId)).Select(t => t.Name).ToListAsync(ct);
        var containers = db.Containers.AsNoTracking().Where(c => visible.Contains(c.DatastoreId)).Select(c => c.Id);
        var onChecks = (await db.QualityChecks.AsNoTracking().Where(c => containers.Contains(c.ContainerId) && c.TagsJson != "[]")
            .Select(c => c.TagsJson).ToListAsync(ct)).SelectMany(QualityJson.Strings).ToList();
        var described = await db.Set<GlobalTag>().AsNoTracking().ToListAsync(ct);

        var byKey = described.ToDictionary(t => t.NameKey);
        var names = described.Select(t => t.Name).Concat(onDatastores).Concat(onChecks)
            .GroupBy(Names.Key).Select(g => byKey.TryGetValue(g.Key, out var row) ? row.Name : g.First());
        return names.Select(n =>
        {
            var key = Names.Key(n);
            var row = byKey.GetValueOrDefault(key);
            return new GlobalTagDto(n, row?.Color, row?.Description,
                onDatastores.Count(t => Names.Key(t) == key), onChecks.Count(t => Names.Key(t) == key), row?.CreatedAt);
        }).OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }
}
