namespace Quarry.Contracts.Quality;

/// <summary>A check's status: scans evaluate Active checks only.</summary>
public static class CheckStatus
{
    public const string Active = "Active";
    /// <summary>Proposed (by a profile) and waiting to be activated; never scanned.</summary>
    public const string Draft = "Draft";
    /// <summary>Kept for its history; never scanned.</summary>
    public const string Archived = "Archived";

    public static readonly IReadOnlyList<string> All = [Active, Draft, Archived];
}
