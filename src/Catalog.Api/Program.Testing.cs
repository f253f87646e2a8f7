// The tests host this application (WebApplicationFactory<Program>).
public partial class Program;
