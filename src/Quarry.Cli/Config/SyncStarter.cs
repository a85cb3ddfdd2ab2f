using System.Net;

namespace Quarry.Cli.Config;

/// <summary><c>--sync</c>: after an apply, starts a sync of each created or changed (non-enrichment) datastore.</summary>
internal sealed class SyncStarter(QuarryClient client, ImportReport report)
{
    public async Task StartAsync(ConfigResult result, LoadedConfig loaded, CancellationToken ct)
    {
        var targets = result.Items.Where(i => i.Kind == ConfigKinds.Datastore && i.Action is ConfigActions.Create or ConfigActions.Update && i.Id is not null)
            .Where(i => DesiredState.Find(loaded, i)?.Boolean("enrichment_only") != true)
            // A datastore the import already synced before its checks is not synced twice.
            .Where(i => report.Syncs.All(s => s.DatastoreId != i.Id)).ToList();
        foreach (var item in targets)
        {
            try
            {
                var operation = await client.PostAsync<JsonElement>("/api/operations/run", new { type = "sync", datastore_id = item.Id }, ct);
                report.Syncs.Add(new SyncStarted(item.Name, item.Id!.Value, operation.GetProperty("id").GetInt32()));
            }
            catch (ApiException e) when (e.Status == HttpStatusCode.NotFound && report.Syncs.Count == 0 && !e.Detail.Contains("datastore", StringComparison.OrdinalIgnoreCase))
            {
                report.Errors.Add("--sync: this server has no POST /api/operations/run (it answered 404), so no sync was started. The import itself was applied; start syncs once the server supports operations.");
                return;
            }
            catch (ApiException e)
            {
                report.Errors.Add($"--sync: could not start a sync of datastore '{item.Name}': {Commands.CommandSupport.Describe(e)}");
            }
        }
    }
}
