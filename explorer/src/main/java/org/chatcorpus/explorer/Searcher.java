package org.chatcorpus.explorer;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TopFieldCollector;
import org.apache.lucene.search.TopScoreDocCollector;
import org.chatcorpus.core.model.Conversation;
import org.chatcorpus.core.model.Message;

/**
 * Runs searches over an {@link ExplorerIndex}: query parsing (Lucene syntax: phrases, AND/OR/NOT,
 * default AND), filters, exact totals, facet counts per value over the whole result set (read from
 * doc values in the same pass as the top hits), snippets with the matching words marked, and the
 * full result set for export. Thread-safe.
 */
public final class Searcher {
    public static final int SNIPPET_CHARS = 240;
    /** Only this much of a message is scanned for a snippet, so huge messages cost bounded time. */
    static final int SNIPPET_SCAN_CHARS = 100_000;

    private final ExplorerIndex index;
    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final Analyzer queryAnalyzer;

    Searcher(ExplorerIndex index) {
        this.index = index;
        this.searcher = index.searcher();
        this.analyzer = index.analyzerInstance();
        this.queryAnalyzer = index.queryAnalyzerInstance();
    }

    /** A user error in the query (shown to the user, HTTP 400). */
    public static final class BadQuery extends IllegalArgumentException {
        BadQuery(String m) {
            super(m);
        }
    }

    public record Snippet(String role, String text, List<int[]> marks) {
    }

    /** One result; {@code title} is the start of the first prompt, as a chat site lists conversations. */
    public record Hit(String conversationId, String model, String language, long turn, boolean flagged, Snippet snippet, String title) {
    }

    static final int TITLE_CHARS = 90;

    /** The first user message (else the first message), on one line and cut at a word near {@link #TITLE_CHARS}. */
    static String title(Conversation c) {
        String text = c.conversation().stream().filter(m -> Message.USER.equals(m.role())).map(Message::content).findFirst()
                .orElse(c.conversation().isEmpty() ? "" : c.conversation().get(0).content());
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() <= TITLE_CHARS) {
            return line;
        }
        int cut = line.lastIndexOf(' ', TITLE_CHARS);
        if (cut < TITLE_CHARS / 2) {
            cut = TITLE_CHARS;
        }
        if (Character.isHighSurrogate(line.charAt(cut - 1))) {
            cut--;
        }
        return line.substring(0, cut) + "…";
    }

    /** The parser's complaint about the request's query text, or null when it is valid syntax (searched as written). */
    public String syntaxError(SearchRequest r) {
        if (r.q().isEmpty()) {
            return null;
        }
        String field = r.role() == null ? ExplorerIndex.F_TEXT : ExplorerIndex.roleFields().get(r.role());
        try {
            new ExplorerQueryParser(field, queryAnalyzer, analyzer).parse(r.q());
            return null;
        } catch (ExplorerQueryParser.TooCostly e) {
            return null; // valid syntax, refused for its cost: textQuery reports it as a 400 with its own reason
        } catch (ParseException | IllegalArgumentException e) {
            String m = e.getMessage() == null ? "invalid query" : e.getMessage().strip().lines().findFirst().orElse("invalid query");
            return m;
        } catch (IndexSearcher.TooManyClauses e) {
            return null; // valid syntax; textQuery reports it
        }
    }

    /** Total matching conversations, the requested page of hits, and per-filter value counts (empty unless asked). */
    public record Result(long total, List<Hit> hits, Map<String, Map<String, Long>> facets) {
    }

    /** The full-text part of a request: all messages, or only those of the requested role. */
    Query textQuery(SearchRequest r) {
        if (r.q().isEmpty()) {
            return new MatchAllDocsQuery();
        }
        String field = r.role() == null ? ExplorerIndex.F_TEXT : ExplorerIndex.roleFields().get(r.role());
        QueryParser p = new ExplorerQueryParser(field, queryAnalyzer, analyzer);
        Query q;
        try {
            q = p.parse(r.q());
        } catch (ExplorerQueryParser.TooCostly e) {
            throw new BadQuery(e.getMessage());
        } catch (ParseException | IllegalArgumentException e) {
            try {
                q = p.parse(QueryParser.escape(r.q())); // not Lucene syntax: search the words as typed
            } catch (ParseException e2) {
                throw new BadQuery("cannot parse the query: " + e.getMessage());
            }
        } catch (IndexSearcher.TooManyClauses e) {
            throw new BadQuery("the query expands to too many terms");
        }
        return q == null ? new MatchNoDocsQuery() : q;
    }

    /** The whole query: text plus filters. */
    public Query query(SearchRequest r) {
        Query text = textQuery(r);
        if (r.filters().isEmpty()) {
            return text;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(text, text instanceof MatchAllDocsQuery ? BooleanClause.Occur.FILTER : BooleanClause.Occur.MUST);
        r.filters().forEach((k, values) -> {
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String v : values) {
                any.add(filterQuery(k, v), BooleanClause.Occur.SHOULD);
            }
            b.add(any.build(), BooleanClause.Occur.FILTER);
        });
        return b.build();
    }

    private static Query filterQuery(String filter, String value) {
        return switch (filter) {
            case "turns" -> {
                SearchRequest.TurnRange t = SearchRequest.TurnRange.parse(value);
                yield IntPoint.newRangeQuery(ExplorerIndex.F_TURN, t.min(), t.max());
            }
            case "model" -> new TermQuery(new Term(ExplorerIndex.F_MODEL, value));
            case "language" -> new TermQuery(new Term(ExplorerIndex.F_LANGUAGE, value));
            case "flagged" -> new TermQuery(new Term(ExplorerIndex.F_FLAGGED, value));
            case "redacted" -> new TermQuery(new Term(ExplorerIndex.F_REDACTED, value));
            case "category" -> new TermQuery(new Term(ExplorerIndex.F_CATEGORY, value));
            case "topic" -> new TermQuery(new Term(ExplorerIndex.F_TOPIC, value));
            default -> throw new BadQuery("unknown filter " + filter);
        };
    }

    /** Counts matches exactly. */
    public long count(SearchRequest r) throws IOException {
        return searcher.count(query(r));
    }

    public Result search(SearchRequest r, boolean withFacets) throws IOException {
        Query text = textQuery(r);
        Query query = query(r);
        int n = r.offset() + r.limit();
        FacetCounter facets = withFacets ? new FacetCounter() : null;
        ScoreDoc[] top;
        long total;
        CommonWordSearch.TopHits common = facets == null && r.sort().equals("relevance") && r.filters().isEmpty()
                ? index.commonWords().search(query, n) : null;
        if (common != null) {
            // Booleans of words in a large share of the conversations: exact ranking from score columns.
            top = common.top();
            total = common.total();
        } else {
            TopDocsCollector<?> collector = switch (r.sort()) {
                case "length" -> TopFieldCollector.create(new Sort(new SortField(ExplorerIndex.F_LENGTH, SortField.Type.LONG, true)), n,
                        withFacets ? Integer.MAX_VALUE : n);
                case "turns" -> TopFieldCollector.create(new Sort(new SortField(ExplorerIndex.F_TURN, SortField.Type.INT, true)), n,
                        withFacets ? Integer.MAX_VALUE : n);
                default -> TopScoreDocCollector.create(n, withFacets ? Integer.MAX_VALUE : n);
            };
            try {
                searcher.search(query, facets == null ? collector : MultiCollector.wrap(collector, facets));
            } catch (IndexSearcher.TooManyClauses e) {
                throw new BadQuery("the query expands to too many terms");
            }
            TopDocs docs = collector.topDocs();
            top = docs.scoreDocs;
            // Without facets the top hits may skip non-competitive documents; the exact total then comes
            // from count(), which answers from index statistics where it can (a single term).
            total = docs.totalHits.relation == org.apache.lucene.search.TotalHits.Relation.EQUAL_TO ? docs.totalHits.value
                    : searcher.count(query);
        }
        Set<String> words = words(text);
        StoredFields stored = index.reader().storedFields();
        List<Hit> hits = new ArrayList<>();
        for (int i = r.offset(); i < top.length; i++) {
            ScoreDoc sd = top[i];
            Conversation c = light(ExplorerIndex.recordBytes(stored, sd.doc));
            hits.add(new Hit(c.conversationId(), c.model(), c.language(), c.turn(), c.flagged(), snippet(c, words, r.role()), title(c)));
        }
        Map<String, Map<String, Long>> facetCounts = new LinkedHashMap<>();
        if (facets != null) {
            facetCounts = facets.result();
            // Multi-select facets: the values of a filter in use are counted without that filter,
            // so the page shows what choosing another value of it (an OR) would add.
            for (String active : r.filters().keySet()) {
                Map<String, List<String>> others = new LinkedHashMap<>(r.filters());
                others.remove(active);
                FacetCounter without = new FacetCounter();
                searcher.search(query(r.withFilters(others)), without);
                facetCounts.put(active, without.result().get(active));
            }
            if (!r.q().isEmpty()) {
                Map<String, Long> roles = new LinkedHashMap<>();
                for (String role : SearchRequest.ROLES) {
                    roles.put(role, (long) searcher.count(query(r.withRole(role))));
                }
                facetCounts.put("role", roles);
            }
        }
        return new Result(total, hits, facetCounts);
    }

    private static final com.fasterxml.jackson.core.JsonFactory LIGHT = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * What a hit needs from a stored record, read with the streaming parser: moderation is only
     * scanned for a true {@code flagged} (its scores are never parsed), so a hit costs little.
     * The returned conversation's moderation is one flagged or clean entry, not the record's.
     */
    static Conversation light(byte[] json) throws IOException {
        String id = "";
        String model = "";
        String language = "";
        long turn = 0;
        boolean flagged = false;
        boolean redacted = false;
        List<Message> messages = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = LIGHT.createParser(json)) {
            p.nextToken();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "conversation_id" -> id = p.getText();
                    case "model" -> model = p.getText();
                    case "language" -> language = p.getText();
                    case "turn" -> turn = p.getLongValue();
                    case "redacted" -> redacted = p.getBooleanValue();
                    case "conversation" -> {
                        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                            String role = "";
                            String content = "";
                            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                                String k = p.currentName();
                                p.nextToken();
                                if (k.equals("role")) {
                                    role = p.getText();
                                } else if (k.equals("content")) {
                                    content = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                            messages.add(new Message(role, content));
                        }
                    }
                    case "openai_moderation" -> {
                        int depth = 1;
                        while (depth > 0) {
                            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT || t == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                                depth++;
                            } else if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                                depth--;
                            } else if (t == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE && depth == 2 && "flagged".equals(p.currentName())) {
                                flagged = true;
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        List<org.chatcorpus.core.model.Moderation> mod = flagged
                ? List.of(new org.chatcorpus.core.model.Moderation(new boolean[org.chatcorpus.core.model.ModerationCategory.COUNT],
                        new double[org.chatcorpus.core.model.ModerationCategory.COUNT], true))
                : List.of();
        return new Conversation(id, model, messages, turn, language, mod, redacted, null, null);
    }

    /** The indexed words of the text query (words, common-word pairs, word pairs), for marking them in snippets. */
    static Set<String> words(Query text) {
        Set<Term> terms = new HashSet<>();
        text.visit(QueryVisitor.termCollector(terms));
        Set<String> out = new HashSet<>();
        Set<String> fields = Set.of(ExplorerIndex.F_TEXT, ExplorerIndex.F_PAIRS, ExplorerIndex.F_USER, ExplorerIndex.F_ASSISTANT,
                ExplorerIndex.F_OTHER);
        for (Term t : terms) {
            if (fields.contains(t.field())) {
                out.add(t.text());
            }
        }
        return out;
    }

    /** The first message (of the role, when given) with a query word, cut around the first match; else the first message. */
    Snippet snippet(Conversation c, Set<String> words, String role) throws IOException {
        Message fallback = null;
        for (Message m : c.conversation()) {
            if (role != null && !ExplorerIndex.fieldFor(m.role()).equals(ExplorerIndex.roleFields().get(role))) {
                continue;
            }
            if (fallback == null) {
                fallback = m;
            }
            if (words.isEmpty()) {
                break;
            }
            String text = m.content();
            if (!mayContain(text, words)) {
                continue; // the word analysis below is the costly part of a hit; most messages need none
            }
            List<int[]> found = matches(ExplorerIndex.fieldFor(m.role()), text, words);
            if (!found.isEmpty()) {
                int start = Math.max(0, found.get(0)[0] - 60);
                return cut(m.role(), text, start, found);
            }
        }
        if (fallback == null) {
            return new Snippet("", "", List.of());
        }
        return cut(fallback.role(), fallback.content(), 0, List.of());
    }

    /**
     * Whether a message can contain one of the query's words: some word (for a pair of words, its
     * first word) occurs in the scanned part of the text, lower-cased as the index lower-cases.
     * It may say yes wrongly (inside a longer word), never no wrongly.
     */
    static boolean mayContain(String text, Set<String> words) {
        int n = Math.min(text.length(), SNIPPET_SCAN_CHARS);
        StringBuilder lower = null;
        for (String w : words) {
            String first = firstWord(w);
            if (first.isEmpty()) {
                return true;
            }
            if (lower == null) {
                lower = new StringBuilder(n);
                for (int i = 0; i < n; ) {
                    int cp = text.codePointAt(i);
                    lower.appendCodePoint(Character.toLowerCase(cp)); // as Lucene's LowerCaseFilter
                    i += Character.charCount(cp);
                }
            }
            if (lower.indexOf(first) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The first word of an indexed term: a common-word pair "write_a" or a word pair "write a" starts with "write". */
    private static String firstWord(String term) {
        int cut = term.length();
        int space = term.indexOf(ExplorerIndex.PAIR_SEPARATOR);
        if (space > 0) {
            cut = space;
        }
        int gram = term.indexOf('_');
        if (gram > 0 && gram < cut) {
            cut = gram; // a word may itself contain "_" ("foo_bar"): then its first part is still a substring
        }
        return term.substring(0, cut);
    }

    /**
     * Where the query's words occur in a message: its indexed tokens (words and common-word pairs),
     * and two adjacent words when the query has them as a pair term.
     */
    private List<int[]> matches(String field, String text, Set<String> words) throws IOException {
        String scan = text.length() > SNIPPET_SCAN_CHARS ? text.substring(0, SNIPPET_SCAN_CHARS) : text;
        List<int[]> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, new StringReader(scan))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            int firstEnd = -1;
            String previousWord = null;
            int previousStart = -1;
            while (ts.incrementToken()) {
                String t = term.toString();
                int start = words.contains(t) ? off.startOffset() : -1;
                if (inc.getPositionIncrement() > 0) { // a word; common-word pairs sit on their first word's position
                    if (previousWord != null && words.contains(previousWord + ExplorerIndex.PAIR_SEPARATOR + t)) {
                        start = previousStart;
                    }
                    previousWord = t;
                    previousStart = off.startOffset();
                }
                if (start < 0) {
                    continue;
                }
                if (firstEnd < 0) {
                    firstEnd = start + SNIPPET_CHARS;
                }
                if (start >= firstEnd) {
                    break;
                }
                out.add(new int[] {start, off.endOffset()});
            }
            ts.end();
        }
        return out;
    }

    private static Snippet cut(String role, String text, int start, List<int[]> marks) {
        if (start > 0 && Character.isLowSurrogate(text.charAt(start))) {
            start--;
        }
        int end = Math.min(text.length(), start + SNIPPET_CHARS);
        if (end < text.length() && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        String prefix = start > 0 ? "…" : "";
        String suffix = end < text.length() ? "…" : "";
        List<int[]> shifted = new ArrayList<>();
        List<int[]> sorted = new ArrayList<>(marks);
        sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
        for (int[] m : sorted) {
            if (m[0] >= start && m[1] <= end) {
                int a = m[0] - start + prefix.length();
                int b = m[1] - start + prefix.length();
                int[] last = shifted.isEmpty() ? null : shifted.get(shifted.size() - 1);
                if (last != null && a <= last[1]) { // overlapping pairs ("write a", "a story") become one mark
                    last[1] = Math.max(last[1], b);
                } else {
                    shifted.add(new int[] {a, b});
                }
            }
        }
        return new Snippet(role, prefix + text.substring(start, end) + suffix, shifted);
    }

    /** A consumer of stored release records (JSON bytes) that may fail. */
    public interface RecordSink {
        void accept(byte[] json) throws IOException;
    }

    /** Every matching record, in index order; returns how many. */
    public long forEachRecord(SearchRequest r, RecordSink sink) throws IOException {
        DocIds ids = new DocIds();
        searcher.search(query(r), ids);
        int[] docs = Arrays.copyOf(ids.docs, ids.size);
        Arrays.sort(docs);
        StoredFields stored = index.reader().storedFields();
        for (int d : docs) {
            sink.accept(ExplorerIndex.recordBytes(stored, d));
        }
        return docs.length;
    }

    private static final class DocIds extends SimpleCollector {
        int[] docs = new int[1024];
        int size;
        int base;

        @Override
        protected void doSetNextReader(LeafReaderContext context) {
            base = context.docBase;
        }

        @Override
        public void collect(int doc) {
            if (size == docs.length) {
                docs = Arrays.copyOf(docs, docs.length * 2);
            }
            docs[size++] = base + doc;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    /**
     * Counts the values of every facet over all matching documents from doc values: per segment by
     * ordinal (an array increment per document and facet), turned into strings once per segment.
     */
    static final class FacetCounter extends SimpleCollector {
        private static final String[] SINGLE = {"model", "language", "flagged", "redacted"};
        private static final String[] SINGLE_FIELDS = {ExplorerIndex.F_MODEL, ExplorerIndex.F_LANGUAGE, ExplorerIndex.F_FLAGGED,
                ExplorerIndex.F_REDACTED};
        private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        private final SortedDocValues[] single = new SortedDocValues[SINGLE.length];
        private final int[][] singleCounts = new int[SINGLE.length][];
        // Multi-valued facets: a conversation can have several categories and several topics.
        private static final String[] MULTI = {"category", "topic"};
        private static final String[] MULTI_FIELDS = {ExplorerIndex.F_CATEGORY, ExplorerIndex.F_TOPIC};
        private final SortedSetDocValues[] multi = new SortedSetDocValues[MULTI.length];
        private final int[][] multiCounts = new int[MULTI.length][];
        private NumericDocValues turns;
        private final long[] turnCounts = new long[12];

        FacetCounter() {
            for (String f : SearchRequest.FILTERS) {
                counts.put(f, new LinkedHashMap<>());
            }
        }

        @Override
        protected void doSetNextReader(LeafReaderContext context) throws IOException {
            flush();
            for (int i = 0; i < SINGLE.length; i++) {
                single[i] = DocValues.getSorted(context.reader(), SINGLE_FIELDS[i]);
                singleCounts[i] = new int[single[i].getValueCount()];
            }
            for (int i = 0; i < MULTI.length; i++) {
                multi[i] = DocValues.getSortedSet(context.reader(), MULTI_FIELDS[i]);
                multiCounts[i] = new int[(int) multi[i].getValueCount()];
            }
            turns = DocValues.getNumeric(context.reader(), ExplorerIndex.F_TURN);
        }

        @Override
        public void collect(int doc) throws IOException {
            for (int i = 0; i < SINGLE.length; i++) {
                if (single[i].advanceExact(doc)) {
                    singleCounts[i][single[i].ordValue()]++;
                }
            }
            for (int i = 0; i < MULTI.length; i++) {
                if (multi[i].advanceExact(doc)) {
                    for (int k = 0, n = multi[i].docValueCount(); k < n; k++) {
                        multiCounts[i][(int) multi[i].nextOrd()]++;
                    }
                }
            }
            if (turns.advanceExact(doc)) {
                long t = turns.longValue();
                turnCounts[(int) Math.max(0, Math.min(11, t))]++;
            }
        }

        private void flush() throws IOException {
            for (int i = 0; i < SINGLE.length; i++) {
                if (single[i] == null) {
                    continue;
                }
                Map<String, Long> m = counts.get(SINGLE[i]);
                for (int o = 0; o < singleCounts[i].length; o++) {
                    if (singleCounts[i][o] > 0) {
                        m.merge(single[i].lookupOrd(o).utf8ToString(), (long) singleCounts[i][o], Long::sum);
                    }
                }
                single[i] = null;
            }
            for (int i = 0; i < MULTI.length; i++) {
                if (multi[i] == null) {
                    continue;
                }
                Map<String, Long> m = counts.get(MULTI[i]);
                for (int o = 0; o < multiCounts[i].length; o++) {
                    if (multiCounts[i][o] > 0) {
                        m.merge(multi[i].lookupOrd(o).utf8ToString(), (long) multiCounts[i][o], Long::sum);
                    }
                }
                multi[i] = null;
            }
        }

        /** Counts per facet, each sorted by count descending (turn buckets in their natural order). */
        Map<String, Map<String, Long>> result() throws IOException {
            flush();
            Map<String, Map<String, Long>> out = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
                if (e.getKey().equals("turns")) {
                    Map<String, Long> t = new LinkedHashMap<>();
                    for (int i = 0; i < turnCounts.length; i++) {
                        if (turnCounts[i] > 0) {
                            t.merge(SearchRequest.TurnRange.bucket(i), turnCounts[i], Long::sum);
                        }
                    }
                    out.put("turns", t);
                    continue;
                }
                Map<String, Long> sorted = new LinkedHashMap<>();
                e.getValue().entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .forEach(x -> sorted.put(x.getKey(), x.getValue()));
                out.put(e.getKey(), sorted);
            }
            return out;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
