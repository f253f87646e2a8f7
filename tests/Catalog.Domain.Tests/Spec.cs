using Catalog.Domain;

namespace Catalog.Domain.Tests;

/// <summary>Given(events) → state, When(decision) → Then(events or the rule it broke).</summary>
public static class Spec
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    public const string Actor = "alice";

    public static TState? Given<TState>(Func<TState?, object, TState?> evolve, params object[] events) where TState : class =>
        events.Aggregate((TState?)null, evolve);

    public static DomainException Refused(DomainErrorKind kind, Action when)
    {
        var error = Assert.Throws<DomainException>(when);
        Assert.Equal(kind, error.Kind);
        return error;
    }
}
