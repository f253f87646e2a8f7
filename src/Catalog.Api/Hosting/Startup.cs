using Catalog.Infrastructure.Database;

namespace Catalog.Api.Hosting;

public static class Startup
{
    /// <summary>The <see cref="PostgresUnavailableException"/> behind a start-up failure, however deeply the host wrapped it.</summary>
    public static PostgresUnavailableException? Unavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresUnavailableException unavailable) return unavailable;
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Unavailable).FirstOrDefault(x => x is not null);
            }
        }
        return null;
    }
}
