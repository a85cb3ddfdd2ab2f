namespace Quarry.Server.Config;

/// <summary>
/// Field-level differences between a stored resource and its desired spec, plus the PUT-style request
/// that carries only what changed. A key the spec leaves out (null) is not managed, so never a change.
/// Secrets are compared here, on the server, and reported only as changed.
/// </summary>
internal static class ConfigDiff
{
    public static (List<FieldChange> Changes, ConnectionRequest Request) Connection(
        Connection existing, ConnectionRequest spec, string? ns, ConnectionService service, bool compareSecrets)
    {
        var changes = new List<FieldChange>();
        var request = new ConnectionRequest();
        if (spec.Name is not null && spec.Name.Trim() != existing.Name) { changes.Add(new("name", existing.Name, spec.Name.Trim())); request.Name = spec.Name; }
        if (spec.Type is not null && service.NormalizeType(spec.Type) != existing.Type) { changes.Add(new("type", existing.Type, spec.Type)); request.Type = spec.Type; }
        if (Differs(existing.Host, spec.Host)) { changes.Add(new("host", existing.Host, Blank(spec.Host))); request.Host = spec.Host; }
        if (spec.Port is not null && spec.Port != existing.Port) { changes.Add(new("port", Text(existing.Port), Text(spec.Port))); request.Port = spec.Port; }
        if (Differs(existing.Username, spec.Username)) { changes.Add(new("username", existing.Username, Blank(spec.Username))); request.Username = spec.Username; }
        if (compareSecrets && service.PasswordDiffers(existing, spec.Password)) { changes.Add(FieldChange.Secret("password")); request.Password = spec.Password; }
        if (Differs(existing.Database, spec.Database)) { changes.Add(new("database", existing.Database, Blank(spec.Database))); request.Database = spec.Database; }
        if (Differs(existing.Path, spec.Path)) { changes.Add(new("path", existing.Path, Blank(spec.Path))); request.Path = spec.Path; }
        if (spec.Parameters is not null)
        {
            var parameterChanges = Parameters(existing, spec.Parameters, service, compareSecrets);
            if (parameterChanges.Count > 0) { changes.AddRange(parameterChanges); request.Parameters = Desired(existing, spec.Parameters, service); }
        }
        if (ns is not null && existing.ConfigNamespace != ns) changes.Add(new("config_namespace", existing.ConfigNamespace, ns));
        return (changes, request);
    }

    /// <summary>The folder's parameters, plus a null for each stored secret parameter it no longer has (a PUT would keep those).</summary>
    private static Dictionary<string, JsonElement> Desired(Connection existing, Dictionary<string, JsonElement> desired, ConnectionService service)
    {
        var request = new Dictionary<string, JsonElement>(desired, StringComparer.Ordinal);
        foreach (var key in service.DecryptSecretParameters(existing).Keys.Where(k => !desired.ContainsKey(k)))
            request[key] = JsonSerializer.SerializeToElement<string?>(null);
        return request;
    }

    private static List<FieldChange> Parameters(Connection existing, Dictionary<string, JsonElement> desired, ConnectionService service, bool compareSecrets)
    {
        var plain = existing.PublicParameters().ToDictionary(p => p.Key, p => p.Value.GetRawText());
        var secret = service.DecryptSecretParameters(existing);
        var changes = new List<FieldChange>();
        foreach (var key in desired.Keys.Union(plain.Keys).Union(secret.Keys).Order(StringComparer.Ordinal))
        {
            var field = $"parameters.{key}";
            var has = desired.TryGetValue(key, out var value);
            if (ConnectionParameters.IsSecret(key))
            {
                if (!compareSecrets) continue;
                var wanted = has ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;
                if (wanted != secret.GetValueOrDefault(key)) changes.Add(FieldChange.Secret(field));
            }
            else
            {
                var wanted = has ? value.GetRawText() : null;
                var stored = plain.GetValueOrDefault(key);
                if (wanted != stored) changes.Add(new(field, stored, wanted));
            }
        }
        return changes;
    }

    public static (List<FieldChange> Changes, DatastoreRequest Request) Datastore(
        Datastore existing, DatastoreSpec spec, string? ns, ConfigState state)
    {
        var changes = new List<FieldChange>();
        var request = new DatastoreRequest();
        if (spec.Name is not null && spec.Name.Trim() != existing.Name) { changes.Add(new("name", existing.Name, spec.Name.Trim())); request.Name = spec.Name; }
        if (!string.IsNullOrWhiteSpace(spec.Connection))
        {
            var target = state.ConnectionsByKey[Names.Key(spec.Connection)];
            if (target.Id != existing.ConnectionId) { changes.Add(new("connection", state.ConnectionName(existing.ConnectionId), target.Name)); request.ConnectionId = target.Id; }
        }
        if (Differs(existing.Database, spec.Database)) { changes.Add(new("database", existing.Database, Blank(spec.Database))); request.Database = spec.Database; }
        if (Differs(existing.Schema, spec.Schema)) { changes.Add(new("schema", existing.Schema, Blank(spec.Schema))); request.Schema = spec.Schema; }
        if (Differs(existing.Description, spec.Description)) { changes.Add(new("description", existing.Description, Blank(spec.Description))); request.Description = spec.Description; }
        if (spec.Tags is not null)
        {
            var wanted = spec.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var stored = existing.Tags.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
            if (!wanted.SequenceEqual(stored)) { changes.Add(new("tags", List(stored), List(wanted))); request.Tags = wanted; }
        }
        if (spec.Teams is not null)
        {
            var wanted = spec.Teams.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var stored = state.TeamNames(existing).ToList();
            if (!wanted.Select(Names.Key).Order(StringComparer.Ordinal).SequenceEqual(stored.Select(Names.Key).Order(StringComparer.Ordinal)))
            {
                changes.Add(new("teams", List(stored.Order(StringComparer.OrdinalIgnoreCase)), List(wanted.Order(StringComparer.OrdinalIgnoreCase))));
                request.Teams = wanted;
            }
        }
        if (spec.Group is not null)
        {
            var wanted = string.IsNullOrWhiteSpace(spec.Group) ? null : state.GroupsByKey[Names.Key(spec.Group)];
            if (wanted?.Id != existing.GroupId) { changes.Add(new("group", state.GroupName(existing.GroupId), wanted?.Name)); request.GroupId = wanted?.Id ?? 0; }
        }
        if (spec.EnrichmentOnly is bool only && only != existing.EnrichmentOnly)
        {
            changes.Add(new("enrichment_only", Text(existing.EnrichmentOnly), Text(only)));
            request.EnrichmentOnly = only;
        }
        if (spec.EnrichmentDatastore is not null)
        {
            var wanted = string.IsNullOrWhiteSpace(spec.EnrichmentDatastore) ? null : state.DatastoresByKey[Names.Key(spec.EnrichmentDatastore)];
            if (wanted?.Id != existing.EnrichmentDatastoreId)
            {
                changes.Add(new("enrichment_datastore", state.DatastoreName(existing.EnrichmentDatastoreId), wanted?.Name));
                request.EnrichmentDatastoreId = wanted?.Id ?? 0;
            }
        }
        if (spec.SourceRecordLimit is int limit && limit != existing.SourceRecordLimit)
        {
            changes.Add(new("source_record_limit", Text(existing.SourceRecordLimit), Text(limit)));
            request.SourceRecordLimit = limit;
        }
        if (Differs(existing.EnrichmentPrefix, spec.EnrichmentPrefix)) { changes.Add(new("enrichment_prefix", existing.EnrichmentPrefix, Blank(spec.EnrichmentPrefix))); request.EnrichmentPrefix = spec.EnrichmentPrefix; }
        if (ns is not null && existing.ConfigNamespace != ns) changes.Add(new("config_namespace", existing.ConfigNamespace, ns));
        return (changes, request);
    }

    private static bool Differs(string? stored, string? desired) => desired is not null && Blank(desired) != stored;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Text(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string List(IEnumerable<string> values) => "[" + string.Join(", ", values) + "]";
}
