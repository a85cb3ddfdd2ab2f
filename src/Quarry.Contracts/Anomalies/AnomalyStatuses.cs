namespace Quarry.Contracts.Anomalies;

/// <summary>Which statuses archive an anomaly; the server reads the names clients send with <c>AnomalyStatuses.Parse</c>.</summary>
public static class AnomalyStatuses
{
    /// <summary>The statuses that end an anomaly's life: a later scan opens a new anomaly rather than updating one of these.</summary>
    public static readonly IReadOnlyList<string> Archived = AnomalyStatus.All.Except(AnomalyStatus.Open).ToList();

    /// <summary>What an archive without a status records.</summary>
    public const string DefaultArchive = AnomalyStatus.Archived;

    public static bool IsArchived(string status) => !AnomalyStatus.Open.Contains(status);
}
