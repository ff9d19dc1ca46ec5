# The server image: build with the SDK, run on the ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SipRecorder.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# MP3 recordings call Debian's LAME (without it they fall back to WAV); Opus uses libopus (else the slower managed Concentus).
RUN apt-get update && apt-get install -y --no-install-recommends libmp3lame0 libopus0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Inside a container every request arrives on its own address, not loopback: /metrics and /status answer on all of
# them here, and the port is published to the host's loopback only (docker-compose.yml).
# Urls, not ASPNETCORE_URLS: appsettings.json's Urls (127.0.0.1) would win over the latter and hide the portal.
ENV Storage__DataDirectory=/data \
    Urls=http://0.0.0.0:8080 \
    Operations__Addresses=*
VOLUME /data
EXPOSE 5060/udp 5060/tcp 5061/tcp 8080/tcp 10000-20000/udp
ENTRYPOINT ["dotnet", "SipRecorder.Server.dll"]
