using Catalog.Testing;

namespace Catalog.Exporter.Tests;

[CollectionDefinition(CatalogFixture.Collection)]
public sealed class Catalogs : ICollectionFixture<CatalogFixture>;
