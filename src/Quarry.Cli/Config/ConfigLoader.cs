using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Quarry.Cli.Config;

/// <summary>What loading a config folder found: valid documents, every error at once, and warnings.</summary>
public sealed class LoadedConfig
{
    public List<ConfigDocument> Documents { get; } = [];
    public List<ConfigError> Errors { get; } = [];
    public List<string> Warnings { get; } = [];

    private Dictionary<(ConfigFileKind, string), ConfigDocument>? _byName;

    public IEnumerable<ConfigDocument> Of(ConfigFileKind kind) => Documents.Where(d => d.Kind == kind);

    /// <summary>The document that defines a resource, by kind and name (case-insensitive).</summary>
    public ConfigDocument? Find(ConfigFileKind kind, string name)
    {
        if (_byName is null)
        {
            _byName = [];
            foreach (var document in Documents.Where(d => d.Name is { Length: > 0 })) _byName.TryAdd((document.Kind, Names.Key(document.Name!)), document);
        }
        return _byName.GetValueOrDefault((kind, Names.Key(name)));
    }
}

/// <summary>
/// Reads the files of a config folder with YamlDotNet's representation model (which keeps each node's
/// line and column) and checks them against their kind's keys: YAML syntax, types, required and unknown
/// keys, variables, and duplicate names across files. Nothing here talks to a server.
/// </summary>
public sealed class ConfigLoader(ConfigVariables variables, Func<string, string> display)
{
    public LoadedConfig Load(ConfigFolder folder, IReadOnlyList<ConfigFileKind> kinds, Action<string>? progress = null)
    {
        var loaded = new LoadedConfig();
        foreach (var kind in kinds)
        {
            // Reading and parsing are independent per file, so they run on every core, a chunk at a time (to bound
            // memory); checking stays sequential so errors come out in file order.
            foreach (var chunk in kind.Files(folder).Chunk(512))
            {
                var parsed = new (YamlStream? Yaml, YamlReading.Failure? Error)[chunk.Length];
                Parallel.For(0, chunk.Length, i => parsed[i] = YamlReading.Read(chunk[i]));
                for (var i = 0; i < chunk.Length; i++)
                {
                    progress?.Invoke(chunk[i]);
                    if (Check(kind, chunk[i], parsed[i], loaded.Errors) is { } document) loaded.Documents.Add(document);
                }
            }
            CheckDuplicateNames(loaded, kind);
        }
        if (kinds.Contains(DatastoreFileKind.Instance)) CheckDatastoreFolders(folder, loaded);
        WarnAboutStrayFiles(folder, loaded);
        if (variables.Missing.Count > 0)
        {
            var list = variables.Missing.Select(m => $"  {m.Key} (used at {string.Join(", ", m.Value)})");
            loaded.Errors.Add(new ConfigError(display(folder.Input), 0, 0,
                $"{variables.Missing.Count} variable(s) not set (or empty); export them or add them to .env (or --env-file):\n{string.Join("\n", list)}"));
        }
        return loaded;
    }

    private ConfigDocument? Check(ConfigFileKind kind, string path, (YamlStream? Yaml, YamlReading.Failure? Error) parsed, List<ConfigError> errors)
    {
        var file = display(path);
        if (parsed.Error is { } e)
        {
            errors.Add(new ConfigError(file, e.Line, e.Column, e.Message));
            return null;
        }
        var yaml = parsed.Yaml!;
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            errors.Add(new ConfigError(file, 1, 1, $"the file is empty; a {kind.Name} needs at least: {string.Join(", ", kind.Fields.Where(f => f.Required).Select(f => f.Key))}."));
            return null;
        }
        if (yaml.Documents.Count > 1)
            errors.Add(new ConfigError(file, (int)yaml.Documents[1].RootNode.Start.Line, 1, $"one {kind.Name} per file: this file holds {yaml.Documents.Count} YAML documents."));
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = yaml.Documents[0].RootNode;
            errors.Add(new ConfigError(file, (int)node.Start.Line, (int)node.Start.Column, $"expected keys and values (name: …) for a {kind.Name}, found {Describe(node)}."));
            return null;
        }

        var document = new ConfigDocument(kind, file, (int)root.Start.Line, (int)root.Start.Column);
        var before = errors.Count;
        foreach (var (keyNode, valueNode) in root.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                errors.Add(At(file, keyNode, "keys must be plain names."));
                continue;
            }
            var field = kind.Field(key);
            if (field is null)
            {
                errors.Add(At(file, keyNode, $"unknown key '{key}' in a {kind.Name}{NearestName.Suggest(key, kind.AllKeys)}"));
                continue;
            }
            if (document.Values.ContainsKey(field.Key))
            {
                errors.Add(At(file, keyNode, $"'{key}' repeats '{field.Key}'{(field.Alias is null ? "" : $" ('{field.Alias}' is another spelling of it)")}; keep one."));
                continue;
            }
            if (Convert(field, valueNode, file, errors) is { } value) document.Values[field.Key] = value;
        }
        foreach (var missing in kind.Fields.Where(f => f.Required && !document.Values.ContainsKey(f.Key)))
            errors.Add(new ConfigError(file, document.Line, document.Column,
                $"missing required key '{missing.Key}'{(missing.Alias is null ? "" : $" (or '{missing.Alias}')")}: {missing.Description}"));
        if (document.Values.TryGetValue("name", out var name) && string.IsNullOrWhiteSpace(name.Value as string))
            errors.Add(new ConfigError(file, name.Line, name.Column, $"'name' is empty; every {kind.Name} needs a name."));
        if (errors.Count == before) kind.Validate(document, errors);
        return errors.Count == before ? document : null;
    }

    private ConfigValue? Convert(FieldSpec field, YamlNode node, string file, List<ConfigError> errors)
    {
        var line = (int)node.Start.Line;
        var column = (int)node.Start.Column;
        var missingBefore = variables.MissingUses;
        switch (field.Type)
        {
            case FieldType.String:
                if (node is not YamlScalarNode text) return Wrong("text");
                // YAML reads ~ and null as "no value", not as the text "~": a name or a host can't be that.
                if (IsNull(text))
                {
                    errors.Add(new ConfigError(file, line, column, $"'{field.Key}' is null ({text.Value}), but it must be text: write the value, \"\" for an empty one, or leave the key out."));
                    return null;
                }
                return new ConfigValue(Text(text, file, errors), line, column);
            case FieldType.Integer:
                if (node is not YamlScalarNode number) return Wrong("a whole number (like 5432)");
                var digits = Text(number, file, errors);
                if (int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer)) return new ConfigValue(integer, line, column);
                if (variables.MissingUses > missingBefore) return null;
                // Only digits (and a sign), yet no int: it is too large, which "a single value" wouldn't say.
                return digits.TrimStart('+', '-') is { Length: > 0 } unsigned && unsigned.All(char.IsAsciiDigit)
                    ? Wrong("a whole number (like 5432)", "a number too large")
                    : Wrong("a whole number (like 5432)");
            case FieldType.Boolean:
                if (node is not YamlScalarNode flag) return Wrong("true or false");
                // Quotes make text: "yes" is a word, not a yes. A quoted ${VAR} is the usual way to write a variable, though.
                if (flag.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted && flag.Value?.Contains("${", StringComparison.Ordinal) != true)
                    return Wrong("true or false, without quotes", "quoted text");
                return Text(flag, file, errors).ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" => new ConfigValue(true, line, column),
                    "false" or "no" or "off" => new ConfigValue(false, line, column),
                    _ when variables.MissingUses > missingBefore => null,
                    _ => Wrong("true or false"),
                };
            case FieldType.StringList:
                if (node is YamlScalarNode { Value: null or "" } && node is YamlScalarNode { Style: ScalarStyle.Plain })
                    return new ConfigValue(new List<string>(), line, column);
                if (node is not YamlSequenceNode sequence) return Wrong("a list (one '- item' per line, or [a, b])");
                var items = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode scalar) items.Add(Text(scalar, file, errors));
                    else errors.Add(At(file, item, $"'{field.Key}' items must be plain text, found {Describe(item)}."));
                }
                return new ConfigValue(items, line, column);
            case FieldType.Map:
                if (node is not YamlMappingNode mapping) return Wrong("keys and values (name: value)");
                var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name } || value is not YamlScalarNode scalar)
                    {
                        errors.Add(At(file, value, $"'{field.Key}' holds plain name: value pairs."));
                        continue;
                    }
                    map[name] = Json(scalar, Text(scalar, file, errors));
                }
                return new ConfigValue(map, line, column);
            case FieldType.Number:
                if (node is not YamlScalarNode real) return Wrong("a number (like 0.95)");
                var numberText = Text(real, file, errors);
                if (double.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) return new ConfigValue(parsed, line, column);
                return variables.MissingUses > missingBefore ? null : Wrong("a number (like 0.95)");
            case FieldType.Properties:
                if (node is not YamlMappingNode bag) return Wrong("keys and values (name: value, or name: [a, b])");
                return new ConfigValue(QualityYaml.Properties(bag, field.Key, file, errors, scalar => Text(scalar, file, errors)), line, column);
            default:
                throw new InvalidOperationException($"Unknown field type {field.Type}.");
        }

        ConfigValue? Wrong(string expected, string? found = null)
        {
            // Never echo the value: it may be a secret.
            errors.Add(new ConfigError(file, line, column, $"'{field.Key}' must be {expected}, found {found ?? Describe(node)}."));
            return null;
        }
    }

    /// <summary>A scalar's text with its variables resolved; errors point at the variable's own column when the scalar is on one line.</summary>
    private string Text(YamlScalarNode node, string file, List<ConfigError> errors)
    {
        if (node.Value is null) return "";
        var line = (int)node.Start.Line;
        var quoted = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        var oneLine = node.Start.Line == node.End.Line;
        int ColumnOf(int offset) => (int)node.Start.Column + (oneLine ? quoted + offset : 0);
        var text = variables.Resolve(node.Value, offset => $"{file}:{line}:{ColumnOf(offset)}", errors,
            offset => new ConfigError(file, line, ColumnOf(offset), ""));
        // The server refuses it too, but only after the request; here the file and line are known.
        if (text.Contains('\0'))
            errors.Add(new ConfigError(file, line, (int)node.Start.Column, "the value contains the NUL character (\\0), which no Quarry text may hold; remove it."));
        return text;
    }

    private static bool IsNull(YamlScalarNode node) => node.Style == ScalarStyle.Plain && node.Value is "~" or "null" or "Null" or "NULL";

    private static JsonElement Json(YamlScalarNode node, string text)
    {
        if (node.Style == ScalarStyle.Plain)
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) return JsonSerializer.SerializeToElement(number);
            if (text is "true" or "false") return JsonSerializer.SerializeToElement(text == "true");
        }
        return JsonSerializer.SerializeToElement(text);
    }

    private void CheckDuplicateNames(LoadedConfig loaded, ConfigFileKind kind)
    {
        if (!kind.UniqueNames) return;
        var first = new Dictionary<string, ConfigDocument>(StringComparer.Ordinal);
        foreach (var document in loaded.Of(kind))
        {
            if (document.Name is not { Length: > 0 } name) continue;
            if (first.TryAdd(Names.Key(name), document)) continue;
            var other = first[Names.Key(name)];
            var at = other.Values["name"];
            loaded.Errors.Add(document.ErrorAt("name",
                $"duplicate {kind.Name} name '{name}': {other.File}:{at.Line}:{at.Column} already defines it (names are unique regardless of case)."));
        }
    }

    private void CheckDatastoreFolders(ConfigFolder folder, LoadedConfig loaded)
    {
        foreach (var datastore in folder.DatastoreFolders())
        {
            // A folder holding only containers/ or checks/ adds them to a datastore that exists on the server.
            var qualityOnly = folder.HasFolder(datastore, ConfigLayout.ContainersFolder) || folder.HasFolder(datastore, ConfigLayout.ChecksFolder);
            if (!qualityOnly && folder.DatastoreFileIn(datastore) is null)
                loaded.Errors.Add(new ConfigError(display(datastore) + Path.DirectorySeparatorChar, 0, 0,
                    $"this datastore folder has no {ConfigFolder.DatastoreFile}; add one (name:, connection:, …) or remove the folder."));
            foreach (var (sub, holds) in ConfigFileKinds.NotImportedYet)
                if (folder.HasFolder(datastore, sub))
                    loaded.Warnings.Add($"{display(Path.Combine(datastore, sub))}{Path.DirectorySeparatorChar}: {holds} are not imported yet by this version; skipped.");
        }
    }

    /// <summary>YAML where the layout has none would otherwise be skipped in silence, and the run look like it did nothing wrong.</summary>
    private void WarnAboutStrayFiles(ConfigFolder folder, LoadedConfig loaded)
    {
        if (folder.DatastoresFolder is { } datastores)
            foreach (var file in folder.YamlFiles(datastores))
                loaded.Warnings.Add($"{display(file)}: not read; a datastore is datastores/<name>/{ConfigFolder.DatastoreFile}.");
    }

    private static ConfigError At(string file, YamlNode node, string message) => new(file, (int)node.Start.Line, (int)node.Start.Column, message);

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode => "a single value",
        YamlSequenceNode => "a list",
        YamlMappingNode => "keys and values",
        _ => "something else",
    };
}
