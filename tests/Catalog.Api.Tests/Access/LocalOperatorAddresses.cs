using Catalog.Api.Access;

namespace Catalog.Api.Tests.Access;

/// <summary>Where <c>service.json</c> says the service listens: each address as a client on the same machine reaches it.</summary>
public sealed class LocalOperatorAddresses
{
    [Theory]
    [InlineData("http://localhost:5080", "http://127.0.0.1:5080")]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080")]
    [InlineData("http://+:5080", "http://127.0.0.1:5080")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080")]
    [InlineData("http://[::]:5080", "http://[::1]:5080")]
    [InlineData("https://localhost:5001", "https://127.0.0.1:5001")]
    [InlineData("http://127.0.0.1:41234", "http://127.0.0.1:41234")]
    [InlineData("http://10.1.2.3:5080", "http://10.1.2.3:5080")]
    public void a_wildcard_or_localhost_becomes_the_loopback_address(string listening, string reached) =>
        Assert.Equal(reached, LocalOperator.Local(listening));

    [Fact]
    public void an_address_that_is_not_a_url_is_left_out() => Assert.Null(LocalOperator.Local("not an address"));

    [Fact]
    public void a_unix_socket_is_left_out_no_tcp_address_reaches_it() => Assert.Null(LocalOperator.Local("http://unix:/run/catalog/api.sock"));
}
