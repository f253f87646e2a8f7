namespace Catalog.Domain.Productions;

/// <summary>The seed's status values and the lifecycle between them.</summary>
public static class ProductionStatus
{
    public const string Draft = "draft";
    public const string Generating = "generating";
    public const string Completed = "completed";

    public static readonly IReadOnlyList<string> All = [Draft, Generating, Completed];

    /// <summary><c>draft → generating → completed</c>, and back to draft for rework. Nothing else.</summary>
    public static bool CanMove(string from, string to) => (from, to) switch
    {
        (Draft, Generating) => true,
        (Generating, Completed) => true,
        (Generating, Draft) => true,
        (Completed, Draft) => true,
        _ => false,
    };
}
