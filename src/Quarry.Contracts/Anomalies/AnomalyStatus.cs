namespace Quarry.Contracts.Anomalies;

/// <summary>Where an anomaly is in its life. Active and Acknowledged are open: a scan that fails the same check again updates it.</summary>
public static class AnomalyStatus
{
    public const string Active = "Active";
    public const string Acknowledged = "Acknowledged";
    public const string Resolved = "Resolved";
    public const string Invalid = "Invalid";
    public const string Duplicate = "Duplicate";
    public const string Archived = "Archived";

    public static readonly IReadOnlyList<string> All = [Active, Acknowledged, Resolved, Invalid, Duplicate, Archived];
    public static readonly IReadOnlyList<string> Open = [Active, Acknowledged];
}

/// <summary>What an anomaly is about: failing rows (<c>record</c>) or the container as a whole (<c>shape</c>: a row count, freshness, a comparison).</summary>
public static class AnomalyType
{
    public const string Record = "record";
    public const string Shape = "shape";
}
