# The server image: build with the SDK, run on the ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SipRecorder.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Storage__DataDirectory=/data \
    ASPNETCORE_URLS=http://0.0.0.0:8080
VOLUME /data
EXPOSE 5060/udp 5060/tcp 8080/tcp
ENTRYPOINT ["dotnet", "SipRecorder.Server.dll"]
