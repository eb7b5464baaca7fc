using Autotier.Bench.Measures;
using Xunit;

namespace Autotier.UnitTests.Bench;

/// <summary>The counting proxy's classifier: what each storage request on the wire is counted as.</summary>
public sealed class StorageRequestKindTests
{
    [Theory]
    [InlineData(StorageService.Table, "GET", "/devstoreaccount1/abcTickets(PartitionKey='demo',RowKey='T-1')", "table abcTickets read")]
    [InlineData(StorageService.Table, "GET", "/devstoreaccount1/abcTickets(PartitionKey=%27demo%27,RowKey=%27T-1%27)", "table abcTickets read")]
    [InlineData(StorageService.Table, "GET", "/devstoreaccount1/abcTickets()?$filter=PartitionKey%20eq%20%27demo%27", "table abcTickets query")]
    [InlineData(StorageService.Table, "PUT", "/devstoreaccount1/abcTickets(PartitionKey='demo',RowKey='T-1')", "table abcTickets write")]
    [InlineData(StorageService.Table, "POST", "/devstoreaccount1/Tables", "table Tables write")]
    [InlineData(StorageService.Queue, "GET", "/devstoreaccount1/hub-control-00/messages?numofmessages=32&visibilitytimeout=300", "queue hub-control-00 read")]
    [InlineData(StorageService.Queue, "DELETE", "/devstoreaccount1/hub-workitems/messages/abc?popreceipt=x", "queue hub-workitems write")]
    [InlineData(StorageService.Queue, "HEAD", "/devstoreaccount1/app-intake?comp=metadata", "queue app-intake read")]
    [InlineData(StorageService.Blob, "PUT", "/devstoreaccount1/hub-leases/default/hub-control-00?comp=lease", "blob hub-leases write")]
    [InlineData(StorageService.Blob, "GET", "/devstoreaccount1?comp=list", "blob (account) read")]
    public void A_request_is_counted_by_service_resource_and_operation(StorageService service, string method, string path, string kind) =>
        Assert.Equal(kind, StorageRequestKind.Of(service, method, path));

    [Fact]
    public void Only_a_queue_GET_of_messages_is_a_read_that_can_come_back_empty()
    {
        Assert.True(StorageRequestKind.IsMessagesRead(StorageService.Queue, "GET", "/devstoreaccount1/q/messages?numofmessages=1"));
        Assert.False(StorageRequestKind.IsMessagesRead(StorageService.Queue, "POST", "/devstoreaccount1/q/messages"));
        Assert.False(StorageRequestKind.IsMessagesRead(StorageService.Queue, "GET", "/devstoreaccount1/q?comp=metadata"));
        Assert.False(StorageRequestKind.IsMessagesRead(StorageService.Table, "GET", "/devstoreaccount1/messages"));
    }

    [Fact]
    public void An_empty_queue_reply_is_told_apart_from_one_with_a_message()
    {
        Assert.True(StorageRequestKind.IsEmptyQueueReply("<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList />"));
        Assert.False(StorageRequestKind.IsEmptyQueueReply("<QueueMessagesList><QueueMessage><MessageId>1</MessageId></QueueMessage></QueueMessagesList>"));
    }

    [Fact]
    public void A_table_batch_is_counted_against_the_table_its_body_names()
    {
        const string body = "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n--changeset_1\r\n"
            + "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            + "PUT http://127.0.0.1:10002/devstoreaccount1/bhlifeHistory(PartitionKey='ticket-T-1',RowKey='0000000000000001') HTTP/1.1\r\n"
            + "Accept: application/json;odata=minimalmetadata\r\n\r\n{}\r\n--changeset_1--\r\n--batch_1--\r\n";
        Assert.True(StorageRequestKind.IsTableBatch(StorageService.Table, "/devstoreaccount1/$batch"));
        Assert.False(StorageRequestKind.IsTableBatch(StorageService.Queue, "/devstoreaccount1/$batch"));
        Assert.Equal("bhlifeHistory", StorageRequestKind.BatchTable(body));
        Assert.Equal("", StorageRequestKind.BatchTable("no request line here"));
    }

    [Fact]
    public void Names_lose_the_runs_hub_and_prefix_so_runs_compare()
    {
        var counts = new Dictionary<string, long>
        {
            ["table bhlife12History batch"] = 4,
            ["queue bhlife12-control-00 read (empty poll)"] = 9,
            ["table balife12Tickets write"] = 3,
            ["queue balife12-intake write"] = 1,
            ["table Tables write"] = 2,
        };
        var normal = StorageRequestKind.Normalise(counts, "bhlife12", "balife12");
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["queue durable:control-00 read (empty poll)"] = 9,
                ["queue intake write"] = 1,
                ["table durable:History batch"] = 4,
                ["table Tables write"] = 2,
                ["table Tickets write"] = 3,
            },
            normal);
    }

    [Fact]
    public void Diff_keeps_only_what_grew()
    {
        var before = new Dictionary<string, long> { ["a"] = 2, ["b"] = 5 };
        var after = new Dictionary<string, long> { ["a"] = 7, ["b"] = 5, ["c"] = 1 };
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["c"] = 1 }, StorageRequestKind.Diff(after, before));
    }

    [Theory]
    [InlineData("queue durable:control-00 read (empty poll)", true)]
    [InlineData("table durable:Partitions write", true)]
    [InlineData("blob durable:leases write", true)]
    [InlineData("queue durable:control-00 read", false)]
    [InlineData("table Tickets write", false)]
    public void Polling_and_lease_renewals_are_background_not_ticket_work(string kind, bool background) =>
        Assert.Equal(background, StorageRequestKind.IsBackground(kind));
}
