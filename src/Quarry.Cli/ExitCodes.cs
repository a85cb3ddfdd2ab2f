namespace Quarry.Cli;

/// <summary>The CLI's exit codes, as PRODUCT.md's CLI contract lists them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and something failed (an item, a sync, an error the server reported).</summary>
    public const int Failure = 1;
    /// <summary>Bad usage or input that failed validation; nothing was sent or written.</summary>
    public const int Usage = 2;
    /// <summary>With <c>--dry-run --detailed-exitcode</c>: changes are pending.</summary>
    public const int ChangesPending = 3;
    /// <summary>The server refused the token (401: missing, wrong or deleted) or its role or team doesn't allow the request (403).</summary>
    public const int AuthFailed = 4;
    /// <summary>The server could not be reached (not running, wrong URL, network down); nothing was done.</summary>
    public const int Unreachable = 5;
    /// <summary>With <c>operations scan --fail-on-anomalies</c>: the scans ran and at least one check failed.</summary>
    public const int AnomaliesFound = 6;
    public const int Cancelled = 130;
}
