namespace Catalog.Domain;

/// <summary>What kind of rule a command broke; the API maps each to one HTTP status.</summary>
public enum DomainErrorKind
{
    /// <summary>The command itself is malformed (a field out of range, a bad id). 400.</summary>
    Invalid,
    /// <summary>The thing the command addresses does not exist (or was deleted). 404.</summary>
    NotFound,
    /// <summary>The command clashes with the current state (a taken name, a bad transition, a stale version). 409.</summary>
    Conflict,
    /// <summary>The command is well-formed but refers to something unusable (an unknown production). 422.</summary>
    Unprocessable,
}

/// <summary>A command broke a rule; nothing is appended.</summary>
public sealed class DomainException(DomainErrorKind kind, string title, string detail) : Exception(detail)
{
    public DomainErrorKind Kind { get; } = kind;
    public string Title { get; } = title;

    public static DomainException Invalid(string detail) => new(DomainErrorKind.Invalid, "Invalid command", detail);
    public static DomainException NotFound(string detail) => new(DomainErrorKind.NotFound, "Not found", detail);
    public static DomainException Conflict(string detail) => new(DomainErrorKind.Conflict, "Conflict", detail);
    public static DomainException Unprocessable(string detail) => new(DomainErrorKind.Unprocessable, "Unprocessable reference", detail);
}
