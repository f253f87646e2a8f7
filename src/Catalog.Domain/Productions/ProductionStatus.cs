namespace Catalog.Domain.Productions;

/// <summary>
/// The production's <c>status</c>: TEXT in the seed, so any value a production comes with (an import, an old app's row) is
/// kept as it is. The seed's comment names the well-known three, and the lifecycle command moves between them only.
/// </summary>
public static class ProductionStatus
{
    public const string Draft = "draft";
    public const string Generating = "generating";
    public const string Completed = "completed";

    /// <summary>The well-known statuses (the seed's comment): always listed in the stats.</summary>
    public static readonly IReadOnlyList<string> All = [Draft, Generating, Completed];

    /// <summary>
    /// <c>draft → generating → completed</c>, and back to draft for rework. A production in any other status (kept from
    /// where it came from) may move to any of the three.
    /// </summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Draft, Generating) => true,
        (Generating, Completed) => true,
        (Generating, Draft) => true,
        (Completed, Draft) => true,
        _ => !All.Contains(from) && All.Contains(to),
    };

    /// <summary>What is wrong with a status as a value to keep (non-empty, at most 64 characters, no control characters), or null.</summary>
    public static string? Problem(string? status) =>
        string.IsNullOrWhiteSpace(status) ? "status may not be empty." : TextRules.Problem(status, "status", 64);
}
