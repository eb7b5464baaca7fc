namespace Autotier.Domain.Classification;

/// <summary>
/// The counting behind <see cref="Features.Count"/>, with buffers kept between calls: a model
/// predicts tens of thousands of texts a second, and a dictionary, lists and a string per word
/// and n-gram cost more than the prediction itself (about 19,000 texts a second for the features
/// alone, measured). Open addressing keyed by bucket with a stamp per slot instead of clearing it,
/// as the TypeScript does, so counting one text costs one probe per feature. Buckets are listed in
/// the order each was first counted, the TypeScript's order. One instance per thread.
/// </summary>
internal sealed class FeatureCounter
{
    [ThreadStatic]
    private static FeatureCounter? perThread;

    public static FeatureCounter ForThisThread => perThread ??= new FeatureCounter();

    // One struct per slot, so a probe reads one cache line rather than one in each of three arrays.
    private Slot[] slots = new Slot[1 << 12];
    private uint stamp;
    private char[] normal = new char[256];
    private readonly int[] wordStart = new int[Features.MaxWords];
    private readonly int[] wordLength = new int[Features.MaxWords];
    private readonly uint[] unigrams = new uint[Features.MaxWords];

    /// <summary>The distinct buckets of the last text counted (the first <see cref="Length"/>).</summary>
    public uint[] Buckets { get; private set; } = new uint[1 << 11];

    /// <summary>How often each of <see cref="Buckets"/> occurred (saturating at 65535, as the TS's uint16).</summary>
    public ushort[] Counts { get; private set; } = new ushort[1 << 11];

    public int Length { get; private set; }

    /// <summary>Counts the text's features; the caller has checked dims and layout.</summary>
    public void Count(string text, int dims, FeatureLayout layout)
    {
        var words = Tokenize(text);
        var window = layout.SkipWindow;
        var letters = 0;
        for (var i = 0; i < words; i++) letters += wordLength[i];
        // Upper bound of features: 2 word features, the skip-grams, and at most 4 n-grams per character.
        var most = ((2 + Math.Max(window - 1, 0)) * words) + (4 * (letters + (2 * words)));
        Prepare(most);
        Length = 0;

        var mask = (uint)dims - 1;
        // Layout 3 keeps words on multiples of four so bucket bit 1 can mark skip-grams.
        var wordMask = window > 0 ? mask & ~3u : mask & ~1u;
        var previous = Features.Word;
        var chars = normal.AsSpan();
        for (var i = 0; i < words; i++)
        {
            var w = chars.Slice(wordStart[i], wordLength[i]);
            var unigram = Fnv(unchecked((Features.Word ^ Features.Space) * Features.FnvPrime), w);
            unigrams[i] = unigram;
            Add(unigram & wordMask);
            if (i > 0) Add(Fnv(unchecked((previous ^ Features.Space) * Features.FnvPrime), w) & wordMask);
            previous = unigram;
            // Ordered pairs with the words 2..window before this one (the one just before is the bigram).
            for (var back = 2; back <= window && back <= i; back++)
                Add((Features.Mix(unchecked((unigrams[i - back] ^ Features.Skip) * 0x9e3779b1) ^ unigram) & mask & ~3u) | 2);
            // Character 2-5-grams of " word ", the spaces marking the word's edges: one hash grows
            // from each start position, giving the 2-, 3-, 4- and 5-gram in turn.
            var len = w.Length + 2;
            for (var start = 0; start + 2 <= len; start++)
            {
                var h = Features.Chars;
                var end = Math.Min(start + 5, len);
                for (var k = start; k < end; k++)
                {
                    h = unchecked((h ^ (k == 0 || k == len - 1 ? Features.Space : w[k - 1])) * Features.FnvPrime);
                    if (k > start) Add((h & mask) | 1);
                }
            }
        }
    }

    private void Prepare(int most)
    {
        var count = slots.Length;
        if (most * 2 > count)
        {
            while (count < most * 2) count *= 2;
            slots = new Slot[count];
            stamp = 0;
        }
        if (most > Buckets.Length)
        {
            Buckets = new uint[most];
            Counts = new ushort[most];
        }
        stamp++;
        if (stamp == uint.MaxValue)
        {
            Array.Clear(slots);
            stamp = 1;
        }
        // A short text uses only the first slots it needs, so its probes stay in a few kilobytes of
        // cache instead of spreading over a table a long text once grew.
        size = 1 << 10;
        while (size < most * 2) size *= 2;
        shift = 32 - System.Numerics.BitOperations.Log2((uint)size);
    }

    private int size;
    private int shift;

    private void Add(uint bucket)
    {
        // Fibonacci hashing takes the product's high bits: its low bits depend only on the bucket's
        // low bits, which the blocks fix.
        var s = (int)(unchecked(bucket * 0x9e3779b1) >> shift);
        var slotMask = size - 1;
        ref var slot = ref slots[s];
        while (slot.Stamp == stamp)
        {
            if (slot.Bucket == bucket)
            {
                var at = slot.Index;
                if (Counts[at] < ushort.MaxValue) Counts[at]++;
                return;
            }
            s = (s + 1) & slotMask;
            slot = ref slots[s];
        }
        slot.Stamp = stamp;
        slot.Bucket = bucket;
        slot.Index = Length;
        Buckets[Length] = bucket;
        Counts[Length] = 1;
        Length++;
    }

    private static uint Fnv(uint h, ReadOnlySpan<char> s)
    {
        foreach (var c in s) h = unchecked((h ^ c) * Features.FnvPrime);
        return h;
    }

    // The TS tokeniser: normalize() from legacyFeatures.ts, then split on spaces, at most MaxWords.
    // ASCII text skips NFKD (the identity on ASCII), the common case and the costly call.
    private int Tokenize(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }
        var source = ascii ? text : Features.Normalize(text);
        if (normal.Length < source.Length) normal = new char[Math.Max(source.Length, normal.Length * 2)];
        var words = 0;
        var length = 0;
        var start = -1;
        foreach (var c in source)
        {
            var lower = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (start < 0)
                {
                    if (words == Features.MaxWords) break;
                    start = length;
                }
                normal[length++] = lower;
            }
            else if (start >= 0)
            {
                wordStart[words] = start;
                wordLength[words++] = length - start;
                start = -1;
            }
        }
        if (start >= 0)
        {
            wordStart[words] = start;
            wordLength[words++] = length - start;
        }
        return words;
    }

    private struct Slot
    {
        public uint Stamp;
        public uint Bucket;
        public int Index;
    }
}
