namespace Quarry.Server.Anomalies;

/// <summary>Reading the status names clients send: any case, and Qualytics' <c>Discarded</c> as Quarry's <c>Archived</c>.</summary>
public static class AnomalyStatuses
{
    /// <summary>The statuses that end an anomaly's life: a later scan opens a new anomaly rather than updating one of these.</summary>
    public static readonly IReadOnlyList<string> Archived = AnomalyStatus.All.Except(AnomalyStatus.Open).ToList();

    /// <summary>What an archive without a status records.</summary>
    public const string DefaultArchive = AnomalyStatus.Archived;

    public static bool IsArchived(string status) => !AnomalyStatus.Open.Contains(status);

    /// <summary>The stored name of <paramref name="value"/>, or a 400 naming <paramref name="field"/> and the names it takes.</summary>
    public static string Parse(string value, string field, IReadOnlyList<string>? allowed = null)
    {
        allowed ??= AnomalyStatus.All;
        var trimmed = value.Trim();
        var name = string.Equals(trimmed, "Discarded", StringComparison.OrdinalIgnoreCase)
            ? AnomalyStatus.Archived
            : AnomalyStatus.All.FirstOrDefault(s => string.Equals(s, trimmed, StringComparison.OrdinalIgnoreCase));
        if (name is null || !allowed.Contains(name))
            throw InvalidInputProblem.Single(field, $"'{trimmed}' is not a status{(allowed.Count == AnomalyStatus.All.Count ? "" : " here")}; use one of: {string.Join(", ", allowed)}.");
        return name;
    }
}
