using System.Reflection;

namespace Catalog.Architecture.Tests;

/// <summary>
/// The projects hold what their names say, and depend on each other one way: each may use only the projects listed
/// here (the README's "How it works"), the domain nothing at all, and no namespace of the catalog, anywhere, depends
/// on itself through others.
/// </summary>
public sealed class TheShapeOfTheHouse
{
    /// <summary>Which catalog projects each project may use.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Catalog.Domain"] = [],
        ["Catalog.Infrastructure"] = [],
        ["Catalog.Projections"] = ["Catalog.Domain"],
        ["Catalog.Application"] = ["Catalog.Domain", "Catalog.Projections", "Catalog.Infrastructure"],
        ["Catalog.Exporter"] = ["Catalog.Domain", "Catalog.Projections", "Catalog.Infrastructure"],
        ["Catalog.Importer"] = ["Catalog.Domain", "Catalog.Projections", "Catalog.Infrastructure", "Catalog.Application", "Catalog.Exporter"],
        ["catalog"] = ["Catalog.Domain", "Catalog.Projections", "Catalog.Infrastructure", "Catalog.Application", "Catalog.Exporter", "Catalog.Importer"],
        ["Catalog.Api"] = ["Catalog.Domain", "Catalog.Projections", "Catalog.Infrastructure", "Catalog.Application", "Catalog.Exporter", "Catalog.Importer"],
    };

    private static readonly Assembly[] Assemblies =
    [
        typeof(Domain.DomainException).Assembly, typeof(Infrastructure.CatalogSettings).Assembly, typeof(Projections.CatalogStore).Assembly,
        typeof(Application.Caller).Assembly, typeof(Exporter.AssetsDbWriter).Assembly, typeof(Importer.ImportReport).Assembly,
        typeof(Cli.Commands).Assembly, typeof(Api.CatalogApi).Assembly,
    ];

    [Fact]
    public void every_project_uses_only_the_projects_it_may()
    {
        Assert.Equal(Allowed.Keys.Order(), Assemblies.Select(a => a.GetName().Name!).Order());
        foreach (var assembly in Assemblies)
        {
            var name = assembly.GetName().Name!;
            var forbidden = assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(Allowed.ContainsKey).Except(Allowed[name]).ToList();
            Assert.True(forbidden.Count == 0, $"{name} uses {string.Join(", ", forbidden)}");
        }
    }

    [Fact]
    public void the_domain_references_nothing_but_the_base_library() =>
        Assert.All(typeof(Domain.DomainException).Assembly.GetReferencedAssemblies(),
            r => Assert.True(r.Name!.StartsWith("System", StringComparison.Ordinal), $"Catalog.Domain references {r.Name}"));

    [Fact]
    public void no_namespace_depends_on_itself_through_others()
    {
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.Namespace is not { } from || !from.StartsWith("Catalog", StringComparison.Ordinal)) continue;
            var targets = edges.TryGetValue(from, out var set) ? set : edges[from] = [];
            foreach (var used in TypeReferences.Of(type))
                if (used.Namespace is { } to && to != from && to.StartsWith("Catalog.", StringComparison.Ordinal)) targets.Add(to);
        }

        var loops = Cycles(edges).Select(c => string.Join(" → ", c.Append(c[0]))).ToList();
        Assert.True(loops.Count == 0, "Namespace loops:\n" + string.Join("\n", loops));
    }

    [Fact]
    public void the_loop_check_finds_a_loop() =>
        Assert.Single(Cycles(new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = ["a"] }));

    /// <summary>The strongly connected groups of more than one namespace (Tarjan), each as a list.</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (onStack.Contains(to)) low[node] = Math.Min(low[node], index[to]);
            }
            if (low[node] != index[node]) return;
            var group = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                group.Add(member);
            } while (member != node);
            if (group.Count > 1) result.Add(group);
        }

        foreach (var node in edges.Keys.ToList()) if (!index.ContainsKey(node)) Visit(node);
        return result;
    }
}
