namespace Quarry.Server.Config;

/// <summary>One resource of a config while it is planned or applied.</summary>
internal sealed class ConfigItem(string kind, string name)
{
    public string Kind { get; } = kind;
    public string Name { get; } = name;
    public string Action { get; set; } = ConfigActions.Unchanged;
    public int? Id { get; set; }
    public List<FieldChange> Changes { get; } = [];
    public List<ItemError> Errors { get; } = [];

    public void Fail(string? field, string message, string code = ItemError.Invalid)
    {
        Action = ConfigActions.Failed;
        Errors.Add(new ItemError(field, message, code));
    }

    public void Skip(string field, string message)
    {
        if (Action != ConfigActions.Failed) Action = ConfigActions.Skipped;
        Errors.Add(new ItemError(field, message, ItemError.Dependency));
    }

    /// <summary>Records the validation errors the single-item services raised, named as config keys.</summary>
    public void Fail(QuarryProblem problem)
    {
        var code = problem switch
        {
            ForbiddenProblem => ItemError.Forbidden,
            _ => ItemError.Invalid,
        };
        if (problem.Errors is { Count: > 0 } errors)
            foreach (var (field, messages) in errors)
                foreach (var message in messages) Fail(ConfigKey(field), message, code);
        else Fail(null, problem.Message, code);
    }

    private static string ConfigKey(string apiField) => apiField switch
    {
        "connection_id" or "connection_name" => "connection",
        "enrichment_datastore_id" => "enrichment_datastore",
        "group_id" => "group",
        "container_id" or "container_name" => "container",
        "datastore_id" => "datastore",
        "left_container_id" => "left_container",
        "right_container_id" => "right_container",
        _ => apiField,
    };

    public ConfigItemResult ToResult() => new(Kind, Name, Action, Id, Changes, Errors);
}
