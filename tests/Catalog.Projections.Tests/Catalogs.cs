using Catalog.Testing;

namespace Catalog.Projections.Tests;

[CollectionDefinition(CatalogFixture.Collection)]
public sealed class Catalogs : ICollectionFixture<CatalogFixture>;
