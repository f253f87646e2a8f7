namespace Catalog.Domain.Tests;

/// <summary>
/// One scenario per test: <c>Given(events)</c> folds the stream's state with the domain's own <c>Evolve</c>,
/// <c>When(decision)</c> runs one decision on it, <c>Then(event)</c> or <c>ThenRefused(kind)</c> says what must come out.
/// </summary>
public static class Spec
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    public const string Actor = "alice";

    public static Scenario<TState> For<TState>(Func<TState?, object, TState?> evolve) where TState : class => new(evolve, []);
}

public sealed class Scenario<TState>(Func<TState?, object, TState?> evolve, IReadOnlyList<object> given) where TState : class
{
    private Func<TState?, object, TState?> Evolve { get; } = evolve;

    public Scenario<TState> Given(params object[] events) => new(Evolve, [.. given, .. events]);

    /// <summary>The state the given events fold into (null when they create nothing).</summary>
    public TState? State => given.Aggregate((TState?)null, Evolve);

    public Decision When(Func<TState?, object> decide) => new(this, decide);

    public sealed class Decision(Scenario<TState> scenario, Func<TState?, object> decide)
    {
        /// <summary>The decision returns exactly this event.</summary>
        public object Then(object expected)
        {
            var actual = decide(scenario.State);
            Assert.Equal(expected, actual);
            return actual;
        }

        /// <summary>The decision returns an event that, appended, gives a state that passes <paramref name="check"/>.</summary>
        public void ThenState(Action<TState> check)
        {
            var state = scenario.Evolve(scenario.State, decide(scenario.State));
            Assert.NotNull(state);
            check(state);
        }

        /// <summary>The decision refuses with this kind of error (and, when given, a message containing <paramref name="saying"/>).</summary>
        public void ThenRefused(DomainErrorKind kind, string? saying = null)
        {
            var error = Assert.Throws<DomainException>(() => decide(scenario.State));
            Assert.Equal(kind, error.Kind);
            if (saying is not null) Assert.Contains(saying, error.Message);
        }
    }
}
