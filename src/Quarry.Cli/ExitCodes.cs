namespace Quarry.Cli;

/// <summary>The CLI's exit codes, as PRODUCT.md's CLI contract lists them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and something failed (an item, the server, the network).</summary>
    public const int Failure = 1;
    /// <summary>Bad usage or input that failed validation; nothing was sent or written.</summary>
    public const int Usage = 2;
    /// <summary>With <c>--dry-run --detailed-exitcode</c>: changes are pending.</summary>
    public const int ChangesPending = 3;
    public const int Cancelled = 130;
}
