namespace Quarry.Server.Operations;

/// <summary>
/// Runs one type of operation (sync today; profile and scan next). Registered with
/// <see cref="OperationTypes.AddOperationRunner{TRunner}"/> under its type name and resolved by it, as a keyed
/// scoped service: the worker only claims, heartbeats and dispatches, and knows nothing of what a runner does.
/// </summary>
public interface IOperationRunner
{
    /// <summary>
    /// The type-specific parameters of a run request, as stored in <c>operations.parameters_json</c> (null for none).
    /// Refuses bad ones with an <see cref="Errors.InvalidInputProblem"/> before anything is queued.
    /// </summary>
    string? ParametersOf(RunOperationRequest request);

    /// <summary>
    /// Refuses a run of <paramref name="datastoreId"/> before it is queued, for a reason the datastore itself gives (an
    /// export or a materialize needs an enrichment datastore); the run request answers 400 with it.
    /// </summary>
    Task EnsureCanRunAsync(Store.QuarryDb db, int datastoreId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>What an operation that did not finish left alone, for its message, e.g. "the catalog was left as it was".</summary>
    string LeftUntouched { get; }

    /// <summary>Runs the claimed operation; throws <see cref="OperationAbortedException"/> when asked to stop.</summary>
    Task<OperationOutcome> RunAsync(Operation operation, CancellationToken ct);
}

/// <summary>How an operation succeeded: the message shown to users and its type-specific result (stored as <c>result_json</c>).</summary>
public sealed record OperationOutcome(string Message, string? ResultJson = null);

/// <summary>The user asked to abort the operation; it ends as <c>aborted</c> and writes nothing.</summary>
public sealed class OperationAbortedException() : Exception("Aborted by a user.");
