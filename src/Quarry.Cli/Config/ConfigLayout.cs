using System.Security.Cryptography;
using System.Text;
using Quarry.Cli.Config.Export;

namespace Quarry.Cli.Config;

/// <summary>
/// The paths of a config folder, shared by export (which writes them) and import (which reads them):
/// <c>connections/&lt;name&gt;.yaml</c>, <c>datastores/&lt;name&gt;/_datastore.yaml</c>,
/// <c>datastores/&lt;ds&gt;/containers/&lt;container&gt;/_container.yaml</c> and <c>…/computed_fields/&lt;name&gt;.yaml</c>,
/// <c>datastores/&lt;ds&gt;/checks/&lt;container&gt;/&lt;rule&gt;__&lt;fields&gt;.yaml</c>.
/// Export decides each resource's path with <see cref="ExportNames"/>.
/// </summary>
public static class ConfigLayout
{
    public const string ContainersFolder = "containers";
    public const string ComputedFieldsFolder = "computed_fields";
    public const string ChecksFolder = "checks";
    public const string ContainerFile = "_container.yaml";
    public const string DatastoreFile = "_datastore.yaml";

    /// <summary>A name made safe as one path segment on every file system; files keep the real name inside.</summary>
    public static string Segment(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        var segment = text.ToString().Trim('.');
        return segment.Length == 0 ? "_" : segment;
    }

    /// <summary>A check's file name without <c>.yaml</c>: its rule and sorted fields (its identity), plus its uid when it has one.</summary>
    public static string CheckStem(string rule, IEnumerable<string> fields, string? uid)
    {
        var stem = string.Join("__", new[] { rule }.Concat(fields.Order(StringComparer.Ordinal)).Select(Segment));
        return uid is null ? stem : stem + "." + Segment(uid);
    }

    /// <summary>
    /// Segments for the resources of one folder, by key. Several keys whose plain segments are equal ignoring case
    /// (a case-insensitive file system would merge them too) each get <c>~</c> and a short hash of the key, which
    /// no plain segment contains; every other key keeps its plain segment, so adding a resource moves only the ones it clashes with.
    /// </summary>
    public static Dictionary<string, string> Segments(IEnumerable<(string Key, string Plain)> items) =>
        Distinct(items, StringComparer.OrdinalIgnoreCase, (plain, key, length) => $"{plain}~{Hash(key, length).ToLowerInvariant()}");

    /// <summary>The variable a connection's secret is exported as, before clashes are settled: <c>WAREHOUSE_PROD_DB_PASSWORD</c>.</summary>
    public static string SecretVariable(string connectionName, string secret)
    {
        var text = new StringBuilder();
        foreach (var c in $"{connectionName}_{secret}")
        {
            if (char.IsAsciiLetterOrDigit(c)) text.Append(char.ToUpperInvariant(c));
            else if (text.Length > 0 && text[^1] != '_') text.Append('_');
        }
        var name = text.ToString().Trim('_');
        // A variable can't start with a digit (import rejects ${123_PASSWORD}, and so do shells): a connection named
        // "123" exports _123_PASSWORD.
        return name.Length > 0 && char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }

    /// <summary>
    /// Variables for every secret, keyed by <see cref="SecretKey"/>: the plain name, unless several secrets share it
    /// (<c>pw-a</c> and <c>pw.a</c> both give <c>PW_A_PASSWORD</c>); then each gets <c>_</c> and a short hash of its
    /// connection and secret, so each connection keeps its own password after an import.
    /// </summary>
    public static Dictionary<string, string> SecretVariables(IEnumerable<(string Connection, string Secret)> secrets) =>
        Distinct(secrets.Select(s => (SecretKey(s.Connection, s.Secret), SecretVariable(s.Connection, s.Secret))),
            StringComparer.Ordinal, (plain, key, length) => $"{plain}_{Hash(key, length)}");

    public static string SecretKey(string connection, string secret) => connection + "\0" + secret;

    /// <summary>
    /// Gives each key a distinct name. Keys are settled in ordinal order and a hash is lengthened only on the rare tie,
    /// so the same keys always get the same names.
    /// </summary>
    private static Dictionary<string, string> Distinct(IEnumerable<(string Key, string Plain)> items, StringComparer comparer, Func<string, string, int, string> suffixed)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(comparer);
        var clashing = new List<(string Key, string Plain)>();
        foreach (var group in items.DistinctBy(i => i.Key, StringComparer.Ordinal).GroupBy(i => i.Plain, comparer))
        {
            if (group.Count() > 1) { clashing.AddRange(group); continue; }
            result[group.Single().Key] = group.Single().Plain;
            taken.Add(group.Single().Plain);
        }
        foreach (var (key, plain) in clashing.OrderBy(i => i.Key, StringComparer.Ordinal))
        {
            var length = 6;
            string name;
            while (!taken.Add(name = suffixed(plain, key, length)))
                if (++length > 64) throw new InvalidOperationException($"No distinct name for '{key}'.");
            result[key] = name;
        }
        return result;
    }

    /// <summary>The first <paramref name="length"/> hex digits of the key's SHA-256, upper case.</summary>
    private static string Hash(string key, int length) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..length];
}
