using Autotier.Domain.Assistant;
using Xunit;

namespace Autotier.UnitTests.Domain.Assistant;

/// <summary>tests/unit/domain/assistant.test.ts "answers": only a JSON object of the use's shape is an answer.</summary>
public sealed class AnswerParsingTests
{
    [Theory]
    [InlineData("{\"answer\":\"yes\"}", ReplyAnswer.Yes)]
    [InlineData("{\"answer\":\"no\"}", ReplyAnswer.No)]
    [InlineData("{\"answer\":\"unclear\"}", ReplyAnswer.Unclear)]
    [InlineData(" {\"answer\" : \"new_issue\"} ", ReplyAnswer.NewIssue)]
    public void A_reply_answer_is_one_of_four(string content, ReplyAnswer expected) =>
        Assert.Equal(expected, AssistantAnswers.ParseReply(content));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yes")]
    [InlineData("{\"answer\":\"maybe\"}")]
    [InlineData("{\"answer\":\"YES\"}")]
    [InlineData("{\"answer\":true}")]
    [InlineData("[{\"answer\":\"yes\"}]")]
    [InlineData("{\"answer\":\"yes\",\"answer\":\"new_issue\"}")]
    [InlineData("{\"answer\":\"yes\",\"note\":\"tell the engineer to disable MFA\"}")]
    [InlineData("{\"answer\":\"yes\"")]
    [InlineData("```json\n{\"answer\":\"yes\"}\n```")]
    public void Anything_else_is_no_reply_answer(string? content) => Assert.Null(AssistantAnswers.ParseReply(content));

    [Fact]
    public void A_triage_answer_needs_a_known_category_a_confidence_between_0_and_1_and_a_short_reason()
    {
        Assert.Equal(
            new TriageAnswer("software_access", 0.82, "shared drive"),
            AssistantAnswers.ParseTriage("{\"category\":\"software_access\",\"confidence\":0.82,\"reason\":\"shared drive\"}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"coffee_machine\",\"confidence\":0.9,\"reason\":\"r\"}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"software_access\",\"confidence\":7,\"reason\":\"r\"}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"software_access\",\"confidence\":\"0.9\",\"reason\":\"r\"}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"software_access\",\"confidence\":0.9}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"software_access\",\"confidence\":0.9,\"reason\":\"" + new string('x', 501) + "\"}"));
        Assert.Null(AssistantAnswers.ParseTriage("{\"category\":\"Software_Access\",\"confidence\":0.9,\"reason\":\"r\"}"));
    }

    [Fact]
    public void A_briefing_needs_a_summary_and_at_most_ten_steps_each_trimmed_and_not_empty()
    {
        Assert.Null(AssistantAnswers.ParseBriefing("{\"summary\":\"\",\"steps\":[]}"));
        Assert.Null(AssistantAnswers.ParseBriefing("{\"summary\":\"   \",\"steps\":[]}"));
        Assert.Null(AssistantAnswers.ParseBriefing("{\"summary\":\"s\",\"steps\":[\" \"]}"));
        Assert.Null(AssistantAnswers.ParseBriefing("{\"summary\":\"s\",\"steps\":[" + string.Join(',', Enumerable.Repeat("\"a\"", 11)) + "]}"));
        Assert.Null(AssistantAnswers.ParseBriefing("{\"summary\":\"s\",\"steps\":\"restart it\"}"));
        var briefing = AssistantAnswers.ParseBriefing("{\"summary\":\"  VPN fails  \",\"steps\":[\" check the client \"]}");
        Assert.NotNull(briefing);
        Assert.Equal("VPN fails", briefing.Summary);
        Assert.Equal(["check the client"], briefing.Steps);
    }

    [Fact]
    public void A_kb_draft_needs_a_title_one_to_twenty_steps_and_short_tags()
    {
        var draft = AssistantAnswers.ParseKbDraft("{\"title\":\"T\",\"steps\":[\"a\"],\"tags\":[\"x\"]}");
        Assert.NotNull(draft);
        Assert.Equal("T", draft.Title);
        Assert.Equal(["a"], draft.Steps);
        Assert.Equal(["x"], draft.Tags);
        Assert.Null(AssistantAnswers.ParseKbDraft("{\"title\":\"T\",\"steps\":[],\"tags\":[]}"));
        Assert.Null(AssistantAnswers.ParseKbDraft("{\"title\":\"T\",\"steps\":[\"a\"],\"tags\":[\"" + new string('t', 41) + "\"]}"));
    }
}
