namespace Quarry.Server.Operations.Profile;

/// <summary>What applying a profile's proposals changed.</summary>
public sealed record InferredChange(int Created, int Updated, int Withdrawn);

/// <summary>
/// Keeps a container's inferred checks in step with its latest profile. A proposal becomes a new check (Draft unless
/// asked otherwise) or updates the inferred Draft with its identity; a check a person wrote, edited (an edit makes it
/// theirs: <c>inferred</c> turns false), activated or archived is never touched, and no proposal duplicates it. An
/// inferred Draft the new profile no longer proposes no longer holds, and is withdrawn.
/// </summary>
public static class InferredChecks
{
    /// <summary>The checks of the containers, by container: read once for a whole profile, not once per container.</summary>
    public static async Task<ILookup<int, QualityCheck>> ExistingAsync(QuarryDb db, IReadOnlyCollection<int> containerIds, CancellationToken ct) =>
        (await db.QualityChecks.Where(c => containerIds.Contains(c.ContainerId)).ToListAsync(ct)).ToLookup(c => c.ContainerId);

    /// <param name="checks">The container's checks, tracked by <paramref name="db"/> (<see cref="ExistingAsync"/>).</param>
    public static InferredChange Apply(QuarryDb db, int containerId, IEnumerable<QualityCheck> checks, IReadOnlyList<ProposedCheck> proposals, bool asDraft)
    {
        var existing = checks.ToDictionary(c => c.IdentityKey);
        var now = DateTime.UtcNow;
        var proposed = new HashSet<string>();
        int created = 0, updated = 0;
        foreach (var proposal in proposals)
        {
            var identity = CheckIdentity.Of(proposal.Rule, proposal.Fields, null);
            if (!proposed.Add(identity)) continue;
            var properties = QualityJson.Of(proposal.Properties);
            var description = $"Inferred from a profile: {proposal.Description}.";
            if (existing.TryGetValue(identity, out var check))
            {
                if (!IsOwnDraft(check) || (check.PropertiesJson == properties && check.Description == description)) continue;
                check.PropertiesJson = properties;
                check.Description = description;
                check.UpdatedAt = now;
                updated++;
                continue;
            }
            db.QualityChecks.Add(new QualityCheck
            {
                ContainerId = containerId,
                Rule = proposal.Rule,
                FieldsJson = QualityJson.Of(proposal.Fields),
                IdentityKey = identity,
                PropertiesJson = properties,
                Description = description,
                Status = asDraft ? CheckStatus.Draft : CheckStatus.Active,
                Inferred = true,
                CreatedAt = now,
                UpdatedAt = now,
            });
            created++;
        }
        var withdrawn = existing.Values.Where(c => IsOwnDraft(c) && !proposed.Contains(c.IdentityKey)).ToList();
        db.QualityChecks.RemoveRange(withdrawn);
        return new InferredChange(created, updated, withdrawn.Count);
    }

    private static bool IsOwnDraft(QualityCheck check) => check.Inferred && check.Status == CheckStatus.Draft;
}
