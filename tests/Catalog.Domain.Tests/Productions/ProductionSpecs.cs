using Catalog.Domain.Productions;
using static Catalog.Domain.Tests.Spec;

namespace Catalog.Domain.Tests.Productions;

/// <summary>The rules of a production's stream, one scenario each.</summary>
public sealed class ProductionSpecs
{
    private static readonly Scenario<Production> Production = For<Production>(Catalog.Domain.Productions.Production.Evolve);
    private static readonly ProductionCreated Created = new("prod_1", "Night Drive", "Van Williams", Actor, Now);
    private static readonly ProductionTrashed Trashed = new("prod_1", Actor, Now);
    private static readonly ProductionPurged Purged = new("prod_1", Actor, Now);

    private static ProductionStatusChanged Moved(string from, string to) => new("prod_1", from, to, Actor, Now);

    private static readonly DateTimeOffset Then = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static readonly ImportProduction Import = new("prod_old", "Night Drive", "Van Williams", "song.wav", 182.5, ProductionStatus.Completed,
        "{\"scenes\":[]}", "{\"fps\":24}", Then, Then.AddDays(2), "old/productions/prod_old.json");

    // Creating

    [Fact]
    public void creating_records_who_and_when() =>
        Production.When(state => ProductionDecisions.Create(state, new CreateProduction("prod_1", "Night Drive", "Van Williams"), Actor, Now))
            .Then(Created);

    [Fact]
    public void a_new_production_is_a_draft() =>
        Production.When(_ => Created).ThenState(state => Assert.Equal((ProductionStatus.Draft, "production:prod_1"), (state.Status, state.Key)));

    [Fact]
    public void creating_an_existing_id_is_a_conflict() =>
        Production.Given(Created).When(state => ProductionDecisions.Create(state, new CreateProduction("prod_1", null, null), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "already exists");

    [Fact]
    public void creating_the_id_of_a_production_in_the_trash_says_to_restore_it() =>
        Production.Given(Created, Trashed).When(state => ProductionDecisions.Create(state, new CreateProduction("prod_1", null, null), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "in the trash");

    [Fact]
    public void the_id_of_a_purged_production_stays_with_its_history() =>
        Production.Given(Created, Trashed, Purged).When(state => ProductionDecisions.Create(state, new CreateProduction("prod_1", null, null), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "purged");

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("colon:id")]
    [InlineData("_leading")]
    [InlineData("129")]
    public void an_id_outside_the_pattern_is_invalid(string id) =>
        Production.When(state => ProductionDecisions.Create(state, new CreateProduction(id == "129" ? new string('a', 129) : id, null, null), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "not a valid production id");

    [Fact]
    public void an_id_of_128_characters_is_fine() =>
        Production.When(state => ProductionDecisions.Create(state, new CreateProduction(new string('a', 128), null, null), Actor, Now))
            .Then(new ProductionCreated(new string('a', 128), null, null, Actor, Now));

    [Fact]
    public void an_asset_stream_key_is_never_a_production_id() => Assert.False(ProductionDecisions.IsValidId("image:7"));

    // Importing

    [Fact]
    public void an_import_keeps_the_rows_timestamps_status_and_json() =>
        Production.When(state => ProductionDecisions.Import(state, Import, Actor, Now))
            .Then(new ProductionImported("prod_old", "Night Drive", "Van Williams", "song.wav", 182.5, ProductionStatus.Completed,
                "{\"scenes\":[]}", "{\"fps\":24}", Then, Then.AddDays(2), "old/productions/prod_old.json", Actor, Now));

    [Fact]
    public void an_imported_production_has_the_status_and_audio_it_came_with() =>
        Production.When(state => ProductionDecisions.Import(state, Import, Actor, Now))
            .ThenState(state => Assert.Equal((ProductionStatus.Completed, "song.wav", Then), (state.Status, state.AudioFilename, state.CreatedAt)));

    [Fact]
    public void an_import_without_status_or_timestamps_is_a_draft_made_now() =>
        Production.When(state => ProductionDecisions.Import(state, Import with { Status = null, CreatedAt = null, UpdatedAt = null }, Actor, Now))
            .ThenState(state => Assert.Equal((ProductionStatus.Draft, Now), (state.Status, state.CreatedAt)));

    [Fact]
    public void an_imported_updated_at_is_never_before_created_at() =>
        Assert.Equal(Then, ProductionDecisions.Import(null, Import with { UpdatedAt = Then.AddDays(-1) }, Actor, Now).UpdatedAt);

    [Fact]
    public void importing_an_existing_id_is_a_conflict() =>
        Production.Given(Created).When(state => ProductionDecisions.Import(state, Import with { ProductionId = "prod_1" }, Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict);

    [Fact]
    public void an_imported_status_outside_the_lifecycle_is_kept_as_it_came() =>
        Production.When(state => ProductionDecisions.Import(state, Import with { Status = "archived" }, Actor, Now))
            .ThenState(state => Assert.Equal("archived", state.Status));

    [Theory]
    [InlineData("   ")]
    [InlineData("on\nhold")]
    [InlineData("65")]
    public void an_imported_status_that_is_empty_too_long_or_has_control_characters_is_invalid(string status) =>
        Production.When(state => ProductionDecisions.Import(state,
                Import with { Status = status == "65" ? new string('s', 65) : status.Replace("\\n", "\n") }, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "status");

    [Theory]
    [InlineData(ProductionStatus.Draft)]
    [InlineData(ProductionStatus.Generating)]
    [InlineData(ProductionStatus.Completed)]
    public void a_production_in_a_status_from_elsewhere_moves_to_any_of_the_lifecycles(string to) =>
        Production.Given(new ProductionImported("prod_1", null, null, null, null, "archived", null, null, Then, Then, "old/assets.db", Actor, Now))
            .When(state => ProductionDecisions.ChangeStatus(state, new ChangeProductionStatus("prod_1", to), Actor, Now))
            .Then(Moved("archived", to));

    [Fact]
    public void an_imported_storyboard_must_be_json() =>
        Production.When(state => ProductionDecisions.Import(state, Import with { StoryboardJson = "{not json" }, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "storyboard");

    [Fact]
    public void an_imported_negative_audio_duration_is_invalid() =>
        Production.When(state => ProductionDecisions.Import(state, Import with { AudioDuration = -1 }, Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "audio_duration");

    // Changing

    [Fact]
    public void changing_details_keeps_what_is_not_given() =>
        Production.Given(Created).When(state => ProductionDecisions.ChangeDetails(state, new ChangeProductionDetails("prod_1", "New", null), Actor, Now))
            .Then(new ProductionDetailsChanged("prod_1", "New", "Van Williams", Actor, Now));

    [Fact]
    public void changing_details_clears_what_is_empty() =>
        Production.Given(Created).When(state => ProductionDecisions.ChangeDetails(state, new ChangeProductionDetails("prod_1", null, ""), Actor, Now))
            .Then(new ProductionDetailsChanged("prod_1", "Night Drive", null, Actor, Now));

    [Fact]
    public void changing_nothing_is_invalid() =>
        Production.Given(Created).When(state => ProductionDecisions.ChangeDetails(state, new ChangeProductionDetails("prod_1", null, null), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "Give a title, an artist, or both");

    [Fact]
    public void a_storyboard_is_kept_verbatim() =>
        Production.Given(Created).When(state => ProductionDecisions.ReplaceStoryboard(state, new ReplaceStoryboard("prod_1", "{ \"scenes\" : [ ] }"), Actor, Now))
            .Then(new ProductionStoryboardReplaced("prod_1", "{ \"scenes\" : [ ] }", Actor, Now));

    [Fact]
    public void a_storyboard_must_be_json() =>
        Production.Given(Created).When(state => ProductionDecisions.ReplaceStoryboard(state, new ReplaceStoryboard("prod_1", "{"), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "not valid JSON");

    [Fact]
    public void settings_are_kept_verbatim() =>
        Production.Given(Created).When(state => ProductionDecisions.ReplaceSettings(state, new ReplaceSettings("prod_1", "{\"fps\": 24}"), Actor, Now))
            .Then(new ProductionSettingsReplaced("prod_1", "{\"fps\": 24}", Actor, Now));

    [Fact]
    public void empty_settings_are_invalid() =>
        Production.Given(Created).When(state => ProductionDecisions.ReplaceSettings(state, new ReplaceSettings("prod_1", " "), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "body was empty");

    [Fact]
    public void audio_is_named_by_filename_and_duration() =>
        Production.Given(Created).When(state => ProductionDecisions.AttachAudio(state, new AttachProductionAudio("prod_1", 3, "song.wav", 183.2), Actor, Now))
            .Then(new ProductionAudioAttached("prod_1", 3, "song.wav", 183.2, Actor, Now));

    [Fact]
    public void audio_without_a_filename_is_invalid() =>
        Production.Given(Created).When(state => ProductionDecisions.AttachAudio(state, new AttachProductionAudio("prod_1", null, " ", null), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "audio filename");

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void audio_with_a_duration_that_is_no_length_is_invalid(double duration) =>
        Production.Given(Created).When(state => ProductionDecisions.AttachAudio(state, new AttachProductionAudio("prod_1", null, "a.wav", duration), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "audio_duration");

    // The lifecycle

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

    /// <summary>The production after moving along <paramref name="path"/> from draft.</summary>
    private static Scenario<Production> After(string[] path)
    {
        var events = new List<object> { Created };
        var from = ProductionStatus.Draft;
        foreach (var to in path)
        {
            events.Add(Moved(from, to));
            from = to;
        }
        return Production.Given(events.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void the_lifecycle_allows(string[] path, string to) =>
        After(path).When(state => ProductionDecisions.ChangeStatus(state, new ChangeProductionStatus("prod_1", to), Actor, Now))
            .Then(Moved(path.Length == 0 ? ProductionStatus.Draft : path[^1], to));

    [Theory]
    [MemberData(nameof(RefusedMoves))]
    public void the_lifecycle_refuses(string[] path, string to) =>
        After(path).When(state => ProductionDecisions.ChangeStatus(state, new ChangeProductionStatus("prod_1", to), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "cannot become");

    [Fact]
    public void the_lifecycle_command_moves_only_into_the_well_known_statuses() =>
        Production.Given(Created).When(state => ProductionDecisions.ChangeStatus(state, new ChangeProductionStatus("prod_1", "archived"), Actor, Now))
            .ThenRefused(DomainErrorKind.Invalid, "not a status");

    // Deleting, restoring, purging

    [Fact]
    public void deleting_puts_the_production_in_the_trash() =>
        Production.Given(Created).When(state => ProductionDecisions.Delete(state, new DeleteProduction("prod_1"), Actor, Now)).Then(Trashed);

    [Fact]
    public void a_production_that_never_existed_cannot_be_changed() =>
        Production.When(state => ProductionDecisions.ChangeDetails(state, new ChangeProductionDetails("prod_1", "x", null), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound, "does not exist");

    [Fact]
    public void a_deleted_production_cannot_be_changed() =>
        Production.Given(Created, Trashed).When(state => ProductionDecisions.ChangeStatus(state, new ChangeProductionStatus("prod_1", "generating"), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void a_deleted_production_cannot_be_deleted_again() =>
        Production.Given(Created, Trashed).When(state => ProductionDecisions.Delete(state, new DeleteProduction("prod_1"), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void restoring_brings_the_production_back_as_it_was_deleted() =>
        Production.Given(Created, new ProductionStoryboardReplaced("prod_1", "{\"s\":1}", Actor, Now), new ProductionAudioAttached("prod_1", 4, "song.wav", 12.5, Actor, Now),
                Moved(ProductionStatus.Draft, ProductionStatus.Generating), Trashed)
            .When(state => ProductionDecisions.Restore(state, new RestoreProduction("prod_1"), "bob", Now))
            .Then(new ProductionRestored("prod_1", "Night Drive", "Van Williams", 4, "song.wav", 12.5, ProductionStatus.Generating,
                "{\"s\":1}", null, Now, "bob", Now));

    [Fact]
    public void a_restored_production_is_live_again() =>
        Production.Given(Created, Trashed).When(state => ProductionDecisions.Restore(state, new RestoreProduction("prod_1"), Actor, Now))
            .ThenState(state => Assert.False(state.IsDeleted));

    [Fact]
    public void a_live_production_has_nothing_to_restore() =>
        Production.Given(Created).When(state => ProductionDecisions.Restore(state, new RestoreProduction("prod_1"), Actor, Now))
            .ThenRefused(DomainErrorKind.Conflict, "not in the trash");

    [Fact]
    public void a_production_that_never_existed_cannot_be_restored() =>
        Production.When(state => ProductionDecisions.Restore(state, new RestoreProduction("prod_1"), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void purging_empties_the_production_from_the_trash() =>
        Production.Given(Created, Trashed).When(state => ProductionDecisions.Purge(state, new PurgeProduction("prod_1"), Actor, Now)).Then(Purged);

    [Fact]
    public void a_purged_production_cannot_be_restored() =>
        Production.Given(Created, Trashed, Purged).When(state => ProductionDecisions.Restore(state, new RestoreProduction("prod_1"), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void a_purged_production_cannot_be_purged_again() =>
        Production.Given(Created, Trashed, Purged).When(state => ProductionDecisions.Purge(state, new PurgeProduction("prod_1"), Actor, Now))
            .ThenRefused(DomainErrorKind.NotFound);

    [Fact]
    public void events_before_creation_leave_no_state() => Assert.Null(Production.Given(Trashed).State);
}
