# The API, for docker compose (see docker-compose.yml). Build from the repository root:
#   docker build -t asset-catalog .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Catalog.Api/Catalog.Api.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the health check below (the runtime image has none).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Inside a container the service must listen on every interface to be reachable at all: who may reach it is
# decided where the port is published (docker-compose.yml publishes it on 127.0.0.1) and by the API keys
# (Catalog__AdminKey must be set; see README, Access).
ENV Urls=http://0.0.0.0:8080 \
    Catalog__DataDirectory=/data
VOLUME /data
EXPOSE 8080
# Ready = PostgreSQL answers and the blob store takes writes (GET /health/ready; /health/live is the process alone).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "Catalog.Api.dll"]
