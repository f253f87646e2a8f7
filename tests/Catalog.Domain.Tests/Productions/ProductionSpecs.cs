using Catalog.Domain.Productions;
using static Catalog.Domain.Tests.Spec;

namespace Catalog.Domain.Tests.Productions;

public sealed class ProductionSpecs
{
    private static readonly ProductionCreated Created = new("prod_1", "Night Drive", "Van Williams", Actor, Now);

    private static Production? State(params object[] events) => Given<Production>(Production.Evolve, events);

    private static ProductionStatusChanged Moved(string from, string to) => new("prod_1", from, to, Actor, Now);

    [Fact]
    public void creating_records_who_and_when_and_starts_as_draft()
    {
        var created = ProductionDecisions.Create(null, new CreateProduction("prod_1", "Night Drive", "Van Williams"), Actor, Now);

        Assert.Equal(Created, created);
        var state = State(created)!;
        Assert.Equal(ProductionStatus.Draft, state.Status);
        Assert.Equal("production:prod_1", state.Key);
    }

    [Fact]
    public void creating_an_existing_or_deleted_id_is_a_conflict()
    {
        Refused(DomainErrorKind.Conflict, () => ProductionDecisions.Create(State(Created), new CreateProduction("prod_1", null, null), Actor, Now));
        var trashed = State(Created, new ProductionTrashed("prod_1", Actor, Now));
        Assert.Contains("in the trash", Refused(DomainErrorKind.Conflict,
            () => ProductionDecisions.Create(trashed, new CreateProduction("prod_1", null, null), Actor, Now)).Message);
        var purged = State(Created, new ProductionTrashed("prod_1", Actor, Now), new ProductionPurged("prod_1", Actor, Now));
        Assert.Contains("purged", Refused(DomainErrorKind.Conflict,
            () => ProductionDecisions.Create(purged, new CreateProduction("prod_1", null, null), Actor, Now)).Message);
    }

    [Fact]
    public void an_import_keeps_the_rows_timestamps_status_and_json_and_follows_the_create_rules()
    {
        var created = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var command = new ImportProduction("prod_old", "Night Drive", "Van Williams", "song.wav", 182.5, ProductionStatus.Completed,
            "{\"scenes\":[]}", "{\"fps\":24}", created, created.AddDays(2), "old/productions/prod_old.json");

        var imported = ProductionDecisions.Import(null, command, Actor, Now);

        Assert.Equal(new ProductionImported("prod_old", "Night Drive", "Van Williams", "song.wav", 182.5, ProductionStatus.Completed,
            "{\"scenes\":[]}", "{\"fps\":24}", created, created.AddDays(2), "old/productions/prod_old.json", Actor, Now), imported);
        var state = Production.Evolve(null, imported)!;
        Assert.Equal((ProductionStatus.Completed, "song.wav", created), (state.Status, state.AudioFilename, state.CreatedAt));

        var bare = ProductionDecisions.Import(null, command with { Status = null, CreatedAt = null, UpdatedAt = null }, Actor, Now);
        Assert.Equal((ProductionStatus.Draft, Now, Now), (bare.Status, bare.CreatedAt, bare.UpdatedAt));
        Assert.Equal(created, ProductionDecisions.Import(null, command with { UpdatedAt = created.AddDays(-1) }, Actor, Now).UpdatedAt);

        Refused(DomainErrorKind.Conflict, () => ProductionDecisions.Import(State(Created), command with { ProductionId = "prod_1" }, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Import(null, command with { ProductionId = "bad id" }, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Import(null, command with { Status = "archived" }, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Import(null, command with { StoryboardJson = "{not json" }, Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Import(null, command with { AudioDuration = -1 }, Actor, Now));
    }

    [Fact]
    public void a_trashed_production_is_restored_in_full_and_a_purged_one_is_gone()
    {
        var storyboard = new ProductionStoryboardReplaced("prod_1", "{\"s\":1}", Actor, Now);
        var audio = new ProductionAudioAttached("prod_1", 4, "song.wav", 12.5, Actor, Now);
        var trashed = State(Created, storyboard, audio, Moved(ProductionStatus.Draft, ProductionStatus.Generating), new ProductionTrashed("prod_1", Actor, Now));

        var restored = ProductionDecisions.Restore(trashed, "prod_1", "bob", Now);

        Assert.Equal(new ProductionRestored("prod_1", "Night Drive", "Van Williams", 4, "song.wav", 12.5, ProductionStatus.Generating,
            "{\"s\":1}", null, Now, "bob", Now), restored);
        Assert.False(Production.Evolve(trashed, restored)!.IsDeleted);
        Refused(DomainErrorKind.Conflict, () => ProductionDecisions.Restore(State(Created), "prod_1", Actor, Now));
        var purged = Production.Evolve(trashed, ProductionDecisions.Purge(trashed, "prod_1", Actor, Now));
        Refused(DomainErrorKind.NotFound, () => ProductionDecisions.Restore(purged, "prod_1", Actor, Now));
        Refused(DomainErrorKind.NotFound, () => ProductionDecisions.Purge(purged, "prod_1", Actor, Now));
        Refused(DomainErrorKind.NotFound, () => ProductionDecisions.Restore(null, "prod_1", Actor, Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("colon:id")]
    [InlineData("_leading")]
    public void an_id_outside_the_pattern_is_invalid(string id) =>
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Create(null, new CreateProduction(id, null, null), Actor, Now));

    [Fact]
    public void an_id_of_128_characters_is_fine_and_129_is_not()
    {
        ProductionDecisions.Create(null, new CreateProduction(new string('a', 128), null, null), Actor, Now);
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.Create(null, new CreateProduction(new string('a', 129), null, null), Actor, Now));
    }

    [Fact]
    public void changing_details_keeps_what_is_not_given_and_clears_what_is_empty()
    {
        var state = State(Created);
        Assert.Equal(new ProductionDetailsChanged("prod_1", "New", "Van Williams", Actor, Now),
            ProductionDecisions.ChangeDetails(state, "prod_1", new ChangeProductionDetails("New", null), Actor, Now));
        Assert.Equal(new ProductionDetailsChanged("prod_1", "Night Drive", null, Actor, Now),
            ProductionDecisions.ChangeDetails(state, "prod_1", new ChangeProductionDetails(null, ""), Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.ChangeDetails(state, "prod_1", new ChangeProductionDetails(null, null), Actor, Now));
    }

    public static TheoryData<string[], string> AllowedMoves() => new()
    {
        { [], ProductionStatus.Generating },
        { [ProductionStatus.Generating], ProductionStatus.Completed },
        { [ProductionStatus.Generating], ProductionStatus.Draft },
        { [ProductionStatus.Generating, ProductionStatus.Completed], ProductionStatus.Draft },
    };

    public static TheoryData<string[], string> RefusedMoves() => new()
    {
        { [], ProductionStatus.Draft },
        { [], ProductionStatus.Completed },
        { [ProductionStatus.Generating], ProductionStatus.Generating },
        { [ProductionStatus.Generating, ProductionStatus.Completed], ProductionStatus.Completed },
        { [ProductionStatus.Generating, ProductionStatus.Completed], ProductionStatus.Generating },
    };

    private static Production? After(string[] path)
    {
        var events = new List<object> { Created };
        var from = ProductionStatus.Draft;
        foreach (var to in path)
        {
            events.Add(Moved(from, to));
            from = to;
        }
        return State(events.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void the_lifecycle_allows(string[] path, string to)
    {
        var state = After(path);
        var changed = ProductionDecisions.ChangeStatus(state, "prod_1", new ChangeProductionStatus(to), Actor, Now);
        Assert.Equal(Moved(state!.Status, to), changed);
    }

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public void the_lifecycle_refuses(string[] path, string to) =>
        Refused(DomainErrorKind.Conflict, () => ProductionDecisions.ChangeStatus(After(path), "prod_1", new ChangeProductionStatus(to), Actor, Now));

    [Fact]
    public void an_unknown_status_is_invalid() =>
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.ChangeStatus(State(Created), "prod_1", new ChangeProductionStatus("Completed"), Actor, Now));

    [Fact]
    public void storyboard_and_settings_must_be_json_and_are_kept_verbatim()
    {
        const string json = "{ \"scenes\" : [ ] }";
        Assert.Equal(json, ProductionDecisions.ReplaceStoryboard(State(Created), "prod_1", new ReplaceStoryboard(json), Actor, Now).StoryboardJson);
        Assert.Equal(json, ProductionDecisions.ReplaceSettings(State(Created), "prod_1", new ReplaceSettings(json), Actor, Now).SettingsJson);
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.ReplaceStoryboard(State(Created), "prod_1", new ReplaceStoryboard("{"), Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.ReplaceSettings(State(Created), "prod_1", new ReplaceSettings(" "), Actor, Now));
    }

    [Fact]
    public void audio_needs_a_filename_and_a_sane_duration()
    {
        var attached = ProductionDecisions.AttachAudio(State(Created), "prod_1", new AttachProductionAudio(3, "song.wav", 183.2), Actor, Now);
        Assert.Equal(new ProductionAudioAttached("prod_1", 3, "song.wav", 183.2, Actor, Now), attached);
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.AttachAudio(State(Created), "prod_1", new AttachProductionAudio(null, " ", null), Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.AttachAudio(State(Created), "prod_1", new AttachProductionAudio(null, "a.wav", -1), Actor, Now));
        Refused(DomainErrorKind.Invalid, () => ProductionDecisions.AttachAudio(State(Created), "prod_1", new AttachProductionAudio(null, "a.wav", double.NaN), Actor, Now));
    }

    [Fact]
    public void nothing_can_be_done_to_a_production_that_does_not_exist_or_was_deleted()
    {
        var deleted = State(Created, new ProductionTrashed("prod_1", Actor, Now));
        foreach (var state in new[] { null, deleted })
        {
            Refused(DomainErrorKind.NotFound, () => ProductionDecisions.ChangeDetails(state, "prod_1", new ChangeProductionDetails("x", null), Actor, Now));
            Refused(DomainErrorKind.NotFound, () => ProductionDecisions.ChangeStatus(state, "prod_1", new ChangeProductionStatus("generating"), Actor, Now));
            Refused(DomainErrorKind.NotFound, () => ProductionDecisions.Delete(state, "prod_1", Actor, Now));
        }
    }

    [Fact]
    public void events_before_creation_leave_no_state()
    {
        Assert.Null(Production.Evolve(null, new ProductionTrashed("prod_1", Actor, Now)));
    }
}
