using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Pbx.Persistence;

namespace SipRecorder.Pbx.Tests.Persistence;

public class CatalogueWriterTests
{
    private sealed class Busy : Exception;

    [Fact]
    public async Task A_write_that_meets_a_busy_database_is_retried_and_the_writes_behind_it_keep_their_order()
    {
        var writer = new CatalogueWriter(e => e is Busy, TimeProvider.System, NullLogger<CatalogueWriter>.Instance);
        var made = new List<string>();
        var busyLeft = 3;
        writer.Enqueue("first", () =>
        {
            if (busyLeft-- > 0) throw new Busy();
            made.Add("first");
        });
        writer.Enqueue("second", () => made.Add("second"));

        await writer.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "second"], made);
        Assert.Equal((3L, 0L, 0L), (writer.Failures, writer.Dropped, writer.Pending));
    }

    [Fact]
    public async Task A_write_that_can_never_succeed_is_dropped_counted_and_still_followed_by_its_then()
    {
        var writer = new CatalogueWriter(e => e is Busy, TimeProvider.System, NullLogger<CatalogueWriter>.Instance);
        var followed = false;
        var next = false;
        writer.Enqueue("broken", () => throw new InvalidOperationException("no such table"), () => followed = true);
        writer.Enqueue("next", () => next = true);

        await writer.DrainAsync(TimeSpan.FromSeconds(10));

        Assert.True(followed && next);
        Assert.Equal(1, writer.Dropped);
    }

    [Fact]
    public async Task After_stop_a_write_is_made_at_once_instead_of_being_lost()
    {
        var writer = new CatalogueWriter(_ => false, TimeProvider.System, NullLogger<CatalogueWriter>.Instance);
        await writer.DrainAsync(TimeSpan.FromSeconds(10));
        var made = false;

        writer.Enqueue("late", () => made = true);

        Assert.True(made);
        Assert.Equal(0, writer.Dropped);
    }
}
