using Quarry.Server.Errors;

namespace Quarry.Server.Anomalies;

/// <summary>Reading the status names clients send: any case, and Qualytics' <c>Discarded</c> as Quarry's <c>Archived</c>.</summary>
public static class AnomalyStatusNames
{
    extension(AnomalyStatuses)
    {
        /// <summary>The stored name of <paramref name="value"/>, or a 400 naming <paramref name="field"/> and the names it takes.</summary>
        public static string Parse(string value, string field, IReadOnlyList<string>? allowed = null)
        {
            allowed ??= AnomalyStatus.All;
            var trimmed = value.Trim();
            var name = string.Equals(trimmed, "Discarded", StringComparison.OrdinalIgnoreCase)
                ? AnomalyStatus.Archived
                : AnomalyStatus.All.FirstOrDefault(s => string.Equals(s, trimmed, StringComparison.OrdinalIgnoreCase));
            if (name is null || !allowed.Contains(name))
                throw InvalidInputProblem.Single(field, $"'{trimmed}' is not a status {(allowed.Count == AnomalyStatus.All.Count ? "" : "here ")}; use one of: {string.Join(", ", allowed)}.");
            return name;
        }
    }
}
