namespace SipRecorder.Storage.Tests;

/// <summary>The checkout the tests run from (the folder holding SipRecorder.sln), for tools and files kept in it.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SipRecorder.sln"))) return directory.FullName;
        throw new InvalidOperationException("SipRecorder.sln not found above " + AppContext.BaseDirectory);
    }
}
