using Catalog.Testing;

namespace Catalog.Cli.Tests;

[CollectionDefinition(CatalogFixture.Collection)]
public sealed class Catalogs : ICollectionFixture<CatalogFixture>;
