using System.Text.RegularExpressions;

namespace Quarry.Server.Connectors;

/// <summary>What every connector's failure mapping needs: find the driver's exception inside a wrapper, keep secrets out.</summary>
internal static class FailureText
{
    /// <summary>The first exception of type <typeparamref name="T"/> in <paramref name="e"/>'s chain of inner exceptions.</summary>
    public static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T match) return match;
        return null;
    }

    /// <summary>
    /// Belt and braces: no driver message should hold the password, but never let one through if it does. Only where it
    /// stands as a value of its own (not inside a word): masking every "a" of a message for the password "a" would
    /// both garble it and tell anyone who reads it which letters the password is made of.
    /// </summary>
    public static string Scrub(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message
            : Regex.Replace(message, $"(?<![\\p{{L}}\\p{{N}}]){Regex.Escape(password)}(?![\\p{{L}}\\p{{N}}])", "***");
}
