using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using Autotier.Domain.Kb;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Autotier.Application.Kb;

/// <summary>
/// One client's articles (its own and the MSP's general ones) in a Lucene index held in memory, and
/// the choice of the best article for a ticket, as the TypeScript <c>bestArticle</c> with minisearch:
/// BM25 relevance over title (boosted twice), steps and tags, with prefix and typo-tolerant (fuzzy)
/// matching of the ticket's words, then <see cref="KbRanking.Best"/> (success rate, the client's own
/// and variant articles first).
/// <para>
/// Why it lives in Application: it is a computation over articles already read (no I/O, no service
/// behind it), and the playbooks that send guides call it; a port around it would only hide Lucene
/// behind a second interface of the same shape. Built once per read of the client's articles
/// (<see cref="KnowledgeBase"/> keeps it for 5 s), searched from any thread.
/// </para>
/// <para>
/// Analysis: Unicode word splitting (UAX #29), lower case, ASCII folding (so "reseau" finds
/// "réseau" and "contrasena" finds "contraseña"), and no stemming or stop words. Tickets come in
/// English, German, French, Spanish and Dutch, unlabelled; one language's stemmer cuts the other
/// languages' words by rules that do not apply to them, stop lists collide (Dutch "door", German
/// "die" and French "car" are English content words), and guessing a short ticket's language is
/// unreliable. Prefix
/// matching does the work of a stemmer for the suffixes that matter ("print" finds "printer",
/// "printing"; "verbind" finds "verbindung"), BM25's IDF lowers words every article has, and minisearch
/// in the TypeScript app used neither stemming nor stop words either.
/// </para>
/// </summary>
public sealed class KbIndex
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string KeyField = "key";
    private const string TitleField = "title";
    private const string TextField = "text";
    private const string TagsField = "tags";

    // minisearch's defaults in the TypeScript app: title boost 2, prefix matches weigh 0.375, fuzzy 0.45.
    private static readonly (string Field, float Boost)[] Fields = [(TitleField, 2f), (TextField, 1f), (TagsField, 1f)];
    private const float PrefixWeight = 0.375f;
    private const float FuzzyWeight = 0.45f;

    /// <summary>
    /// A ticket can be long (a pasted log); its first distinct words are enough to find an article, and
    /// a bound keeps the query inside Lucene's clause limit (1024) and its cost small.
    /// </summary>
    private const int MaxQueryWords = 256;

    private static readonly Analyzer FoldingAnalyzer = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new StandardTokenizer(Version, reader);
        TokenStream stream = new LowerCaseFilter(Version, tokenizer);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    });

    private readonly IndexSearcher? searcher;

    private KbIndex(IReadOnlyList<KbArticle> articles, IndexSearcher? searcher)
    {
        Articles = articles;
        this.searcher = searcher;
    }

    /// <summary>The articles indexed, in the order given (ties in ranking keep this order).</summary>
    public IReadOnlyList<KbArticle> Articles { get; }

    public static KbIndex Build(IReadOnlyList<KbArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count == 0) return new KbIndex(articles, null);
        // Held in memory only: a client's articles are a few hundred at most, rebuilt on each read.
#pragma warning disable CA2000 // The reader keeps the directory; both live as long as this index (managed memory only).
        var directory = new RAMDirectory();
#pragma warning restore CA2000
        var config = new IndexWriterConfig(Version, FoldingAnalyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var a in articles)
            {
                writer.AddDocument(new Document
                {
                    new StringField(KeyField, a.Key, Field.Store.YES),
                    new TextField(TitleField, a.Title, Field.Store.NO),
                    new TextField(TextField, string.Join(' ', a.Steps), Field.Store.NO),
                    new TextField(TagsField, string.Join(' ', a.Tags), Field.Store.NO),
                });
            }
            writer.Commit();
        }
        var searcher = new IndexSearcher(DirectoryReader.Open(directory)) { Similarity = new BM25Similarity() };
        return new KbIndex(articles, searcher);
    }

    /// <summary>The best article of <paramref name="category"/> for the ticket, or null when none fits (TypeScript <c>bestArticle</c>).</summary>
    public KbArticle? Best(string category, ClientProfile client, string ticketText, string? site = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var candidates = KbRanking.Candidates(Articles, category, client, site);
        return candidates.Count == 0 ? null : KbRanking.Best(candidates, Relevance(ticketText), client.ClientId);
    }

    /// <summary>
    /// Software errors: only a documented fix for the error the ticket names counts (an article one
    /// of whose specific tags is in the ticket's words); a generic restart guide never does.
    /// </summary>
    public KbArticle? KnownError(ClientProfile client, string ticketText)
    {
        ArgumentNullException.ThrowIfNull(client);
        var known = Articles.Where(a => KbRanking.MatchesKnownError(a, ticketText));
        var candidates = KbRanking.Candidates(known, Categories.SoftwareError, client);
        return candidates.Count == 0 ? null : KbRanking.Best(candidates, Relevance(ticketText), client.ClientId);
    }

    /// <summary>BM25 score of each article that matches any of the ticket's words, by <see cref="KbArticle.Key"/>.</summary>
    public IReadOnlyDictionary<string, double> Relevance(string ticketText)
    {
        ArgumentNullException.ThrowIfNull(ticketText);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (searcher is null) return scores;
        var words = Words(ticketText);
        if (words.Count == 0) return scores;
        var query = new BooleanQuery();
        foreach (var word in words) query.Add(WordQuery(word), Occur.SHOULD);
        foreach (var hit in searcher.Search(query, Articles.Count).ScoreDocs)
            scores[searcher.Doc(hit.Doc).Get(KeyField, System.Globalization.CultureInfo.InvariantCulture)] = hit.Score;
        return scores;
    }

    /// <summary>
    /// One word of the ticket, in each field: the exact word, else a longer word it begins, else a
    /// word within the typo allowance; the best of the three counts (a disjunction-max, so an exact
    /// match is not counted again as its own prefix and its own fuzzy match).
    /// </summary>
    private static BooleanQuery WordQuery(string word)
    {
        // As minisearch's fuzzy: 0.2, one edit from 3 letters, two from 8 (Lucene allows at most 2).
        var maxEdits = Math.Min(2, (int)Math.Floor(0.2 * word.Length + 0.5));
        var perField = new BooleanQuery();
        foreach (var (field, boost) in Fields)
        {
            var term = new Term(field, word);
            var best = new DisjunctionMaxQuery(0f) { new TermQuery(term) };
            // A one- or two-letter prefix ("a", "it") would begin half the words of every article.
            if (word.Length >= 3)
            {
                best.Add(new PrefixQuery(term)
                {
                    // Scored by BM25 per word found (the default rewrite gives every match the same constant score).
                    MultiTermRewriteMethod = new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(64),
                    Boost = PrefixWeight,
                });
            }
            if (maxEdits > 0) best.Add(new FuzzyQuery(term, maxEdits, prefixLength: 0, maxExpansions: 50, transpositions: true) { Boost = FuzzyWeight });
            best.Boost = boost;
            perField.Add(best, Occur.SHOULD);
        }
        return perField;
    }

    /// <summary>The ticket's distinct words as the index analysed the articles' words, first ones first.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = FoldingAnalyzer.GetTokenStream(TextField, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && words.Count < MaxQueryWords)
        {
            var word = term.ToString();
            if (seen.Add(word)) words.Add(word);
        }
        stream.End();
        return words;
    }
}
