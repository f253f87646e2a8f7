using Catalog.Testing;

namespace Catalog.Importer.Tests;

[CollectionDefinition(CatalogFixture.Collection)]
public sealed class Catalogs : ICollectionFixture<CatalogFixture>;
