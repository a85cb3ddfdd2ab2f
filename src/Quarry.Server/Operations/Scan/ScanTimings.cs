using System.Diagnostics;

namespace Quarry.Server.Operations.Scan;

/// <summary>
/// Where a scan's time went, phase by phase, summed over its containers and logged when it ends, so an operator can
/// tell a slow source (the statements) from a slow store (loading and recording) without a profiler.
/// </summary>
internal sealed class ScanTimings
{
    public const string Load = "load", Statements = "statements", Samples = "samples", Record = "record", Enrichment = "enrichment";

    private readonly Dictionary<string, (TimeSpan Time, int Count)> _phases = [];
    private readonly Stopwatch _total = Stopwatch.StartNew();

    /// <summary>Times <paramref name="work"/> as part of <paramref name="phase"/>.</summary>
    public async Task<T> TimeAsync<T>(string phase, Func<Task<T>> work)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await work();
        }
        finally
        {
            Add(phase, Stopwatch.GetElapsedTime(start));
        }
    }

    public async Task TimeAsync(string phase, Func<Task> work) => await TimeAsync(phase, async () => { await work(); return true; });

    public void Add(string phase, TimeSpan took)
    {
        lock (_phases)
        {
            var (time, count) = _phases.GetValueOrDefault(phase);
            _phases[phase] = (time + took, count + 1);
        }
    }

    /// <summary>"total 12.3s: statements 11.9s (20), samples 0.2s (5), …", the longest phase first.</summary>
    public override string ToString()
    {
        lock (_phases)
            return $"total {_total.Elapsed.TotalSeconds:0.000}s: " + string.Join(", ", _phases.OrderByDescending(p => p.Value.Time)
                .Select(p => $"{p.Key} {p.Value.Time.TotalSeconds:0.000}s ({p.Value.Count})"));
    }
}

/// <summary>The source's statements, timed: aggregates count as <see cref="ScanTimings.Statements"/>, row reads as <see cref="ScanTimings.Samples"/>.</summary>
internal sealed class TimedSourceQueries(ISourceQueries source, ScanTimings timings) : ISourceQueries
{
    public Task<IReadOnlyList<object?>> AggregateAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, CancellationToken ct) =>
        timings.TimeAsync(ScanTimings.Statements, () => source.AggregateAsync(connection, scope, statement, ct));

    public Task<SourceRows> ReadRowsAsync(ConnectionDetails connection, SourceScope scope, SourceStatement statement, int maxRows, CancellationToken ct) =>
        timings.TimeAsync(ScanTimings.Samples, () => source.ReadRowsAsync(connection, scope, statement, maxRows, ct));
}
