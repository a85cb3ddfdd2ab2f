using Quarry.Server.Operations.Scan;

namespace Quarry.Server.Operations.Profile;

/// <summary>
/// Runs one profile: reads each container's statistics at the source (<see cref="ContainerProfiler"/>), then stores
/// every field's profile and the checks they suggest in one transaction, so a failed or aborted profile leaves the
/// stored profiles and checks as they were. A computed container is read as a scan reads it (<see cref="ContainerSources"/>):
/// its SQL as a derived table, at the source; one the source refuses is reported and the others are profiled.
/// </summary>
public sealed class ProfileRunner(QuarryDb db, ConnectorRegistry connectors, ConnectionService connections, OperationProgress progress, ILogger<ProfileRunner> logger)
    : IOperationRunner
{
    public const string TypeName = "profile";

    public string LeftUntouched => "no profile was stored and no check was changed";

    /// <summary><see cref="LeftUntouched"/> as a sentence of its own, ending a failure's message.</summary>
    private string LeftUntouchedSentence => $"{char.ToUpperInvariant(LeftUntouched[0])}{LeftUntouched[1..]}.";

    public string? ParametersOf(RunOperationRequest request) => ProfileParameters.Of(request).ToJson();

    public async Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct)
    {
        var parameters = ProfileParameters.Read(operation.ParametersJson);
        var loaded = await DatastoreSource.LoadAsync(db, connectors, operation.DatastoreId, ct);
        var (datastore, connection, connector, scope) = loaded;
        var profileDialect = connector.ProfileDialect
            ?? throw new ConnectorException(ConnectorFailure.Other, $"Quarry cannot profile {connector.Descriptor.DisplayName} datastores yet; {LeftUntouched}.");
        var source = await loaded.ReadableAsync(db, "profile", LeftUntouched, ct);
        var details = connections.Details(connection);
        var containers = await ContainersAsync(datastore.Id, parameters.ContainerNames, ct);
        await progress.ReportAsync(operation.Id, containers.Count, 0, ct);

        var profiler = new ContainerProfiler(connector.Dialect,
            async statement => (await source.ReadRowsAsync(details, scope, statement, int.MaxValue, ct)).Rows, logger);
        var sources = await ContainerSources.LoadAsync(db, datastore.Id, scope.Schema, ct);
        var profiled = new List<(Container Container, ContainerStats Stats)>();
        var failed = new List<ProfileFailure>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var container in containers)
        {
            await progress.ThrowIfAbortRequestedAsync(operation.Id, ct);
            var computed = ComputedKinds.IsComputed(container.ContainerType);
            try
            {
                var relation = sources.Relation(new SqlText(connector.Dialect), container);
                var columns = container.ContainerType == ComputedKinds.Table
                    ? await ComputedTableFields.ReadAsync(source, details, scope, connector.Dialect, profileDialect, relation, container, ct)
                    : container.Fields.Where(f => !f.Removed).OrderBy(f => f.Ordinal)
                        .Select((f, i) => new ProfileColumn(i, f.Id, f.Name, f.DataType, profileDialect.KindOf(f.DataType))).ToList();
                if (columns.Count == 0) continue;
                var statements = new ProfileStatements(connector.Dialect, profileDialect, relation, isTable: !computed, columns);
                profiled.Add((container, await profiler.ProfileAsync(statements, parameters.MaxRecordsAnalyzedPerPartition)));
            }
            // A computed container's SQL is Quarry's to keep right, not the source's: the others are still profiled.
            catch (Exception e) when (computed && e is ConnectorException or ScanCheckException)
            {
                failed.Add(new ProfileFailure(container.Name, $"Profiling computed container '{container.Name}' failed: {e.Message}"));
            }
            catch (ConnectorException e)
            {
                throw new ConnectorException(e.Failure, $"Profiling container '{container.Name}' failed: {e.Message} {LeftUntouchedSentence}", e);
            }
            await progress.ReportAsync(operation.Id, containers.Count, profiled.Count + failed.Count, ct);
        }
        var read = clock.Elapsed;
        await progress.ThrowIfAbortRequestedAsync(operation.Id, ct);

        var result = await StoreAsync(operation, profiled, parameters, ct) with { FailedContainers = failed.Count > 0 ? failed : null };
        logger.LogInformation("Profile {OperationId}: read {Containers} containers in {Read:0.000}s, stored in {Write:0.000}s",
            operation.Id, profiled.Count, read.TotalSeconds, (clock.Elapsed - read).TotalSeconds);
        return new OperationOutcome(Describe(result, parameters), result.ToJson());
    }

    private async Task<List<Container>> ContainersAsync(int datastoreId, IReadOnlyList<string>? names, CancellationToken ct)
    {
        var all = await db.Containers.AsNoTracking().Include(c => c.Fields)
            .Where(c => c.DatastoreId == datastoreId && !c.Removed)
            .OrderBy(c => c.Name).ToListAsync(ct);
        if (names is null) return all;
        var missing = names.Where(n => !all.Any(c => c.Name == n)).ToList();
        if (missing.Count > 0)
            throw new ConnectorException(ConnectorFailure.Other,
                $"The datastore has no synced container named {string.Join(", ", missing.Select(n => $"'{n}'"))}; sync it first, or check the names (they are case-sensitive). {LeftUntouchedSentence}");
        return all.Where(c => names.Contains(c.Name)).ToList();
    }

    private async Task<ProfileResult> StoreAsync(Operation operation, List<(Container Container, ContainerStats Stats)> profiled, ProfileParameters parameters, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        int created = 0, updated = 0, withdrawn = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var checks = parameters.InferConstraints ? await InferredChecks.ExistingAsync(db, profiled.Select(p => p.Container.Id).ToList(), ct) : null;
        foreach (var (container, found) in profiled)
        {
            var stats = container.ContainerType == ComputedKinds.Table ? await ComputedTableFields.RecordAsync(db, container, found, now, ct) : found;
            db.FieldProfiles.AddRange(stats.Fields.Select(f => ToEntity(operation, container, stats, f, now)));
            if (checks is null) continue;
            var change = InferredChecks.Apply(db, container.Id, checks[container.Id], CheckInference.Propose(stats, now), parameters.InferAsDraft);
            (created, updated, withdrawn) = (created + change.Created, updated + change.Updated, withdrawn + change.Withdrawn);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ProfileResult(profiled.Count, profiled.Sum(p => p.Stats.Fields.Count), profiled.Sum(p => p.Stats.RecordCount),
            profiled.Count(p => p.Stats.Sampled), created, updated, withdrawn);
    }

    private static FieldProfile ToEntity(Operation operation, Container container, ContainerStats stats, FieldStats f, DateTime now) => new()
    {
        OperationId = operation.Id,
        DatastoreId = operation.DatastoreId,
        ContainerId = container.Id,
        FieldId = f.Column.FieldId,
        FieldName = f.Column.Name,
        DeclaredType = f.Column.DeclaredType,
        InferredType = f.InferredType,
        Sampled = stats.Sampled,
        RecordCount = f.RecordCount,
        NullCount = f.NullCount,
        DistinctCount = f.DistinctCount,
        DistinctApproximate = f.DistinctApproximate,
        MinValue = CheckInference.Text(f.Min),
        MaxValue = CheckInference.Text(f.Max),
        Mean = f.Mean,
        StdDev = f.StdDev,
        Q1 = f.Q1,
        Median = f.Median,
        Q3 = f.Q3,
        MinLength = f.MinLength,
        MaxLength = f.MaxLength,
        MeanLength = f.MeanLength,
        TopValuesJson = JsonSerializer.Serialize(f.TopValues.Select(v => new { value = v.Value, count = v.Count })),
        CreatedAt = now,
    };

    private static string Describe(ProfileResult r, ProfileParameters parameters)
    {
        var sampled = r.SampledContainers > 0 ? $", {r.SampledContainers} of them on a sample of at most {parameters.MaxRecordsAnalyzedPerPartition:N0} rows" : "";
        var profiledText = $"Profiled {r.Containers} container(s) and {r.Fields} field(s) ({r.RecordsAnalyzed:N0} rows read{sampled})";
        if (!parameters.InferConstraints) return profiledText + "; no checks were inferred (infer_constraints was false)." + Failures(r);
        var status = parameters.InferAsDraft ? "drafts waiting to be activated" : "active";
        return $"{profiledText}; inferred checks: {r.ChecksCreated} new ({status}), {r.ChecksUpdated} updated, {r.ChecksWithdrawn} withdrawn.{Failures(r)}";
    }

    private static string Failures(ProfileResult r) =>
        r.FailedContainers is { Count: > 0 } failed ? " " + string.Join(" ", failed.Select(f => f.Message.TrimEnd('.') + ".")) : "";
}
